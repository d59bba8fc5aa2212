package dev.segstream.segmenter.overlay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidClasses;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live overlay page on Javalin: {@code /} the page (static HTML and JS, blending in the
 * browser), {@code /api/classes} the CamVid legend, {@code /api/cameras} each camera's latest
 * frame, {@code /api/frames/{seq}/image} and {@code /mask} one kept frame's bytes and raw class
 * indices, and {@code /events} server-sent {@code state} events whenever the view changes.
 */
public final class OverlayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB_ROOT = "/dev/segstream/segmenter/overlay/web";
    /** How often changes are pushed: frames arrive at camera rate, a page needs at most this many. */
    private static final long PUSH_INTERVAL_MS = 100;

    private final Javalin app;
    private final LatestFrames view;
    private final DoubleSupplier liveMiou;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pusher;
    private final URI url;
    private String lastPushed = "";

    private OverlayServer(String host, int port, LatestFrames view, DoubleSupplier liveMiou) {
        this.view = view;
        this.liveMiou = liveMiou;
        String classes = json(classes());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // a few viewers, not a public site: a small pool instead of Jetty's 200 threads
            config.jetty.threadPool = new QueuedThreadPool(16, 2, 60_000);
            config.staticFiles.add(WEB_ROOT, Location.CLASSPATH);
            config.routes.get("/api/classes", ctx -> ctx.contentType("application/json").result(classes));
            config.routes.get("/api/cameras", ctx -> ctx.contentType("application/json").result(json(state())));
            config.routes.get("/api/frames/{seq}/image", ctx -> frame(ctx).ifPresent(f ->
                    ctx.contentType(f.imageType()).result(f.image())));
            config.routes.get("/api/frames/{seq}/mask", ctx -> frame(ctx).ifPresent(f ->
                    ctx.contentType("application/octet-stream").header("X-Mask-Width", Integer.toString(f.mask().width()))
                            .header("X-Mask-Height", Integer.toString(f.mask().height())).result(f.mask().classes())));
            config.routes.sse("/events", client -> {
                client.keepAlive();
                client.onClose(() -> clients.remove(client));
                clients.add(client);
                send(client, json(state()));
            });
        }).start(host, port);
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        this.url = URI.create("http://" + shown + ":" + app.port() + "/");
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overlay-events");
            t.setDaemon(true);
            return t;
        });
        pusher.scheduleWithFixedDelay(this::push, PUSH_INTERVAL_MS, PUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Serves the page for {@code view} on {@code host:port} (0: any free port). */
    public static OverlayServer start(String host, int port, LatestFrames view, DoubleSupplier liveMiou) {
        OverlayServer server = new OverlayServer(host, port, view, liveMiou);
        LOG.info("overlay page at {}", server.url());
        return server;
    }

    /** The page's address. */
    public URI url() {
        return url;
    }

    private Optional<CameraFrame> frame(Context ctx) {
        Optional<CameraFrame> f;
        try {
            f = view.find(Long.parseLong(ctx.pathParam("seq")));
        } catch (NumberFormatException e) {
            f = Optional.empty();
        }
        if (f.isEmpty()) {
            ctx.status(404).result("frame no longer kept; fetch the one /api/cameras names now");
        }
        return f;
    }

    /** Sends the state to every open page when a mask or the live mIoU has changed since the last push. */
    private void push() {
        try {
            String key = view.lastSeq() + "/" + liveMiou.getAsDouble();
            if (key.equals(lastPushed) || clients.isEmpty()) {
                return;
            }
            lastPushed = key;
            String state = json(state());
            for (SseClient c : clients) {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    send(c, state);
                }
            }
        } catch (RuntimeException e) {
            // a page that went away mid-write must not stop the pushes to the others
            LOG.debug("overlay push failed: {}", e.toString());
        }
    }

    /** One event; a page's first state (sent by the request thread) and the pushes must not interleave. */
    private static void send(SseClient client, String state) {
        synchronized (client) {
            client.sendEvent("state", state);
        }
    }

    private Map<String, Object> state() {
        long now = System.currentTimeMillis();
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (LatestFrames.Entry e : view.latest(now)) {
            CameraFrame f = e.frame();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("camera", f.camera());
            c.put("seq", f.seq());
            c.put("frame_id", f.frameId());
            c.put("width", f.mask().width());
            c.put("height", f.mask().height());
            c.put("variant", f.variant());
            c.put("version", f.version());
            c.put("latency_ms", f.latencyMs());
            c.put("fps", Math.round(e.fps() * 10) / 10.0);
            c.put("mask_at_ms", f.maskAtMs());
            cameras.add(c);
        }
        double miou = liveMiou.getAsDouble();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("live_miou", Double.isNaN(miou) ? null : Math.round(miou * 10_000) / 10_000.0);
        out.put("cameras", cameras);
        return out;
    }

    /** The legend: index, name and display colour of every class a model predicts (void left out). */
    private static List<Map<String, Object>> classes() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < CamVidClasses.COUNT; i++) {
            int rgb = CamVidClasses.colour(i);
            out.add(Map.of("index", i, "name", CamVidClasses.NAMES.get(i),
                    "rgb", List.of(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff)));
        }
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        clients.forEach(SseClient::close);
        clients.clear();
        app.stop();
    }
}
