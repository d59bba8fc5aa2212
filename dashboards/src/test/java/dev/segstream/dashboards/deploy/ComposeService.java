package dev.segstream.dashboards.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of the compose file with the short and long syntaxes the tests meet folded into one
 * shape: environment as a map, volumes as {@link Mount}s, ports as container ports.
 *
 * @param name the service name (also its host name on the compose network)
 * @param raw  the service's mapping, merge keys resolved
 */
record ComposeService(String name, Map<String, Object> raw) {

    /**
     * One volume of a service.
     *
     * @param bind     a bind mount of a host path (else a named volume)
     * @param source   host path or volume name
     * @param target   path in the container
     * @param readOnly mounted read-only
     */
    record Mount(boolean bind, String source, String target, boolean readOnly) {
    }

    /**
     * A {@code build:} section.
     *
     * @param context    the context folder, relative to the compose file
     * @param dockerfile the Dockerfile, relative to the context
     */
    record Build(String context, String dockerfile) {
    }

    /** The environment, from the map or the {@code KEY=VALUE} list syntax. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = this.raw.get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (String pair : ComposeFile.strings(raw)) {
                int eq = pair.indexOf('=');
                env.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return env;
    }

    /** The command as a list of arguments (the exec form; a string command is one element). */
    List<String> command() {
        return ComposeFile.strings(raw.get("command"));
    }

    Optional<String> image() {
        return Optional.ofNullable(raw.get("image")).map(String::valueOf);
    }

    Optional<Build> build() {
        Object b = raw.get("build");
        if (b == null) {
            return Optional.empty();
        }
        if (b instanceof Map<?, ?> m) {
            Object file = m.get("dockerfile");
            return Optional.of(new Build(String.valueOf(m.get("context")), file == null ? "Dockerfile" : file.toString()));
        }
        return Optional.of(new Build(b.toString(), "Dockerfile"));
    }

    /** Container ports: of {@code ports} entries ({@code HOST:CONTAINER}, or long syntax) and of {@code expose}. */
    List<Integer> containerPorts() {
        List<Integer> out = new ArrayList<>();
        Object ports = raw.get("ports");
        if (ports instanceof List<?> list) {
            for (Object p : list) {
                String spec = p instanceof Map<?, ?> m ? String.valueOf(m.get("target")) : String.valueOf(p);
                String container = spec.substring(spec.lastIndexOf(':') + 1).replaceAll("/.*", "");
                out.add(Integer.parseInt(container));
            }
        }
        ComposeFile.strings(raw.get("expose")).forEach(e -> out.add(Integer.parseInt(e.replaceAll("/.*", ""))));
        return out;
    }

    /** The volumes; a short-syntax source starting with {@code .}, {@code /} or {@code ~} is a bind mount. */
    List<Mount> mounts() {
        List<Mount> out = new ArrayList<>();
        Object vols = raw.get("volumes");
        if (!(vols instanceof List<?> list)) {
            return out;
        }
        for (Object v : list) {
            if (v instanceof Map<?, ?> m) {
                out.add(new Mount("bind".equals(m.get("type")), String.valueOf(m.get("source")),
                        String.valueOf(m.get("target")), Boolean.TRUE.equals(m.get("read_only"))));
            } else {
                String[] parts = String.valueOf(v).split(":");
                boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~");
                boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                out.add(new Mount(bind, parts[0], parts.length > 1 ? parts[1] : parts[0], ro));
            }
        }
        return out;
    }

    /** The health check's test command, empty when the service has none (or disables it). */
    List<String> healthcheck() {
        Map<String, Object> hc = ComposeFile.map(raw.get("healthcheck"));
        if (Boolean.TRUE.equals(hc.get("disable"))) {
            return List.of();
        }
        return ComposeFile.strings(hc.get("test"));
    }

    /** Services this one waits for, with the condition (the list syntax means {@code service_started}). */
    Map<String, String> dependsOn() {
        Map<String, String> out = new LinkedHashMap<>();
        Object raw = this.raw.get("depends_on");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k),
                    String.valueOf(ComposeFile.map(v).getOrDefault("condition", "service_started"))));
        } else {
            ComposeFile.strings(raw).forEach(s -> out.put(s, "service_started"));
        }
        return out;
    }

    /** Not restarted when it exits: {@code restart: "no"}, or no restart policy (Compose's default). */
    boolean restartsNever() {
        Object restart = raw.get("restart");
        return restart == null || "no".equals(String.valueOf(restart));
    }
}
