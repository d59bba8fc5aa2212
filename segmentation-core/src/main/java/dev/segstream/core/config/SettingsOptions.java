package dev.segstream.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The command-line options every service shares, as a picocli mixin: {@code --bootstrap-servers},
 * repeatable {@code --kafka KEY=VALUE} and {@code --config FILE}. {@link #resolve} merges them with
 * the environment and a command's own typed options through {@link ConfigSources}.
 */
public final class SettingsOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka cluster (default: " + CommonConfig.BOOTSTRAP_SERVERS_DEFAULT + ").")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Any Kafka client setting or segstream key; repeatable.")
    List<String> kafka = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings.")
    Path configFile;

    /**
     * The merged settings: properties file &lt; {@code SEGSTREAM_*} environment &lt; {@code --kafka}
     * &lt; {@code --bootstrap-servers} and the command's typed options.
     *
     * @param env   the environment
     * @param typed the command's own options by config key; {@code null} values are left out
     * @throws IllegalArgumentException when a {@code --kafka} pair has no {@code =}
     */
    public Map<String, Object> resolve(Map<String, String> env, Map<String, ?> typed) {
        Map<String, String> overrides = new TreeMap<>(ConfigSources.parsePairs(kafka));
        if (bootstrapServers != null) {
            overrides.put(CommonConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        typed.forEach((k, v) -> {
            if (v != null) {
                overrides.put(k, v.toString());
            }
        });
        return ConfigSources.resolve(configFile, env, overrides);
    }

    /** A map of typed options that tolerates {@code null} values (left out by {@link #resolve}). */
    public static Map<String, Object> typed(Object... keyValues) {
        Map<String, Object> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
