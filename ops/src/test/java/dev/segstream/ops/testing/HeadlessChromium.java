package dev.segstream.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket of the JDK's HTTP client,
 * no driver to install): load a page, evaluate JavaScript in it, take a screenshot. One page,
 * one viewport of the given size at device scale 1, sRGB output so screenshot pixels are the
 * page's own values. Closing kills the browser and deletes its profile.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** {@code -Dsegstream.chromium=PATH} picks the binary; {@code none} hides every one (tests then skip). */
    public static final String BINARY_PROPERTY = "segstream.chromium";
    /** Why a test skips when {@link #find()} is empty. */
    public static final String MISSING = "no Chromium binary found (chromium, chromium-browser, google-chrome on "
            + "PATH, or -D" + BINARY_PROPERTY + "=PATH); install Debian's chromium to run this test";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The Chromium to use: the {@value #BINARY_PROPERTY} property, else the first known name on PATH. */
    public static Optional<Path> find() {
        String chosen = System.getProperty(BINARY_PROPERTY, "").trim();
        if (chosen.equals("none")) {
            return Optional.empty();
        }
        if (!chosen.isEmpty()) {
            return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                .flatMap(name -> Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts {@code binary} headless with a {@code width x height} viewport on a blank page. */
    public static HeadlessChromium launch(Path binary, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("segstream-chromium");
        Process process = new ProcessBuilder(List.of(binary.toString(), "--headless=new",
                // as root (CI containers) Chromium refuses to start sandboxed; containers often have a tiny /dev/shm
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars", "--mute-audio", "--no-first-run",
                "--force-color-profile=srgb", "--force-device-scale-factor=1", "--window-size=" + width + "," + height,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        ArrayDeque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> drain(process, browserUrl, lastLines), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            URI browser = URI.create(browserUrl.get(60, TimeUnit.SECONDS));
            HttpClient http = HttpClient.newHttpClient();
            String port = Integer.toString(browser.getPort());
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String pageUrl = null;
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    pageUrl = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageUrl == null) {
                throw new IllegalStateException("Chromium has no page target: " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener).get(30, TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
            listener.owner = chromium;
            chromium.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return chromium;
        } catch (Exception e) {
            process.destroyForcibly();
            synchronized (lastLines) {
                throw new IllegalStateException("Chromium did not start: " + String.join("\n", lastLines), e);
            }
        }
    }

    private static void drain(Process process, CompletableFuture<String> browserUrl, ArrayDeque<String> lastLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    browserUrl.complete(m.group(1));
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the browser went away; the launcher reports what it printed
        }
        browserUrl.completeExceptionally(new IllegalStateException("Chromium exited: " + process.exitValue()));
    }

    /** Navigates to {@code url} (returns once the navigation is committed, not when it has loaded). */
    public void navigate(URI url) {
        call("Page.navigate", Map.of("url", url.toString()));
    }

    /** Evaluates {@code expression} in the page (promises awaited) and returns its JSON value. */
    public JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the viewport as it is now. */
    public byte[] screenshot() {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    /** Sends one DevTools command and waits (30 s at most) for its result. */
    private JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (socket) {
                socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
            }
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (Exception e) {
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " failed", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Collects a message's fragments (a screenshot spans many) and completes the call it answers. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    if (message.has("id") && owner != null) {
                        CompletableFuture<JsonNode> call = owner.pending.get(message.get("id").asInt());
                        if (call != null) {
                            call.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: nothing waits for it
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
