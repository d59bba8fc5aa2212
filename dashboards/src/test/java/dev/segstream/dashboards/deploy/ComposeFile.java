package dev.segstream.dashboards.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} as Compose reads it: YAML with anchors, aliases and merge keys
 * ({@code <<: *x}) resolved, as plain maps and lists, with typed views of the parts the tests check.
 */
final class ComposeFile {

    /** The file's name at the repository root. */
    static final String NAME = "docker-compose.yml";

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    /** The repository root: set by the build (surefire), else the parent of the module folder. */
    static Path repoRoot() {
        String prop = System.getProperty("segstream.repo.root");
        return (prop != null ? Path.of(prop) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** Reads the compose file of the repository. */
    static ComposeFile read() throws IOException {
        return parse(Files.readString(repoRoot().resolve(NAME), StandardCharsets.UTF_8));
    }

    /** Parses compose YAML (SnakeYAML, which resolves merge keys; Jackson's YAML reader does not). */
    @SuppressWarnings("unchecked")
    static ComposeFile parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object doc = new Yaml(options).load(yaml);
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("a compose file is a mapping, got " + doc);
        }
        return new ComposeFile((Map<String, Object>) doc);
    }

    /** The whole document, for the schema. */
    Map<String, Object> root() {
        return root;
    }

    /** The service names, sorted. */
    Set<String> serviceNames() {
        return new TreeSet<>(map(root.get("services")).keySet());
    }

    /** One service. */
    ComposeService service(String name) {
        Object raw = map(root.get("services")).get(name);
        if (raw == null) {
            throw new IllegalArgumentException("no service " + name + " in " + NAME);
        }
        return new ComposeService(name, map(raw));
    }

    /** Every service, in file order. */
    List<ComposeService> services() {
        List<ComposeService> out = new ArrayList<>();
        map(root.get("services")).keySet().forEach(name -> out.add(service(name)));
        return out;
    }

    /** Whether other services wait for {@code name} to complete: a one-shot job, not a server. */
    boolean isOneShot(String name) {
        return services().stream().anyMatch(s -> "service_completed_successfully".equals(s.dependsOn().get(name)));
    }

    /** The top-level named volumes. */
    Set<String> declaredVolumes() {
        return new TreeSet<>(map(root.get("volumes")).keySet());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object raw) {
        return raw instanceof Map ? (Map<String, Object>) raw : new LinkedHashMap<>();
    }

    /** A string list from a list (items as text) or a single string; empty when absent. */
    static List<String> strings(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        } else if (raw != null) {
            out.add(String.valueOf(raw));
        }
        return out;
    }
}
