package dev.segstream.dashboards.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A build context's {@code .dockerignore}: which context files reach the builder. As Docker reads
 * it, patterns are globs relative to the context, a {@code !} pattern re-includes, the last match
 * wins, and a pattern that matches a folder matches everything in it.
 */
final class DockerIgnore {

    private record Rule(PathMatcher matcher, boolean include) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    /** The rules of {@code context/.dockerignore}; none (everything included) when there is no file. */
    static DockerIgnore of(Path context) throws IOException {
        Path file = context.resolve(".dockerignore");
        List<Rule> rules = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean include = line.startsWith("!");
                String glob = (include ? line.substring(1) : line).strip().replaceAll("^/+|/+$", "");
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + glob), include));
            }
        }
        return new DockerIgnore(rules);
    }

    /** Whether the context file at {@code relative} (a file, relative to the context) is sent. */
    boolean sends(Path relative) {
        boolean sent = true;
        for (Rule rule : rules) {
            if (matchesSelfOrParent(rule.matcher(), relative)) {
                sent = rule.include();
            }
        }
        return sent;
    }

    private static boolean matchesSelfOrParent(PathMatcher matcher, Path relative) {
        for (Path p = relative; p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
