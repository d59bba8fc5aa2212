package dev.segstream.dashboards.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile that the tests check: {@code FROM}, the sources of
 * {@code COPY}/{@code ADD} (from the build context, not from another stage) and the exec-form
 * {@code ENTRYPOINT}. Comments and line continuations are handled; nothing else is interpreted.
 *
 * @param from       the base image of the last stage
 * @param copies     every context copy, in order
 * @param entrypoint the exec-form entrypoint, empty when absent or in shell form
 */
record Dockerfile(String from, List<Copy> copies, List<String> entrypoint) {

    /**
     * One {@code COPY}/{@code ADD} from the build context.
     *
     * @param source      path relative to the context (a trailing {@code /} kept)
     * @param destination path in the image
     */
    record Copy(String source, String destination) {
    }

    /** Reads and parses a Dockerfile. */
    static Dockerfile read(Path file) throws IOException {
        String from = "";
        List<Copy> copies = new ArrayList<>();
        List<String> entrypoint = List.of();
        for (String line : instructions(Files.readString(file, StandardCharsets.UTF_8))) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].trim() : "";
            switch (keyword) {
                case "FROM" -> from = args.split("\\s+")[0];
                case "COPY", "ADD" -> {
                    List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
                    if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                        continue; // from another stage or image, not from the context
                    }
                    words.removeIf(w -> w.startsWith("--"));
                    String dest = words.remove(words.size() - 1);
                    words.forEach(src -> copies.add(new Copy(src, dest)));
                }
                case "ENTRYPOINT" -> entrypoint = args.startsWith("[")
                        ? new ObjectMapper().readValue(args, new TypeReference<List<String>>() { })
                        : List.of();
                default -> {
                    // other instructions are not checked
                }
            }
        }
        return new Dockerfile(from, copies, entrypoint);
    }

    /** The instructions, comments dropped and {@code \}-continued lines joined. */
    static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(current.toString());
            current.setLength(0);
        }
        return out;
    }

    /** The copy whose destination is {@code imagePath} (or a folder holding it), if any. */
    Copy copyOf(String imagePath) {
        for (Copy c : copies) {
            if (c.destination().equals(imagePath)
                    || c.destination().endsWith("/") && imagePath.startsWith(c.destination())) {
                return c;
            }
        }
        throw new IllegalArgumentException("no COPY puts " + imagePath + " into the image; copies: " + copies);
    }
}
