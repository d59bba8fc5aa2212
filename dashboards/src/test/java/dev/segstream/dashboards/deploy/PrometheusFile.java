package dev.segstream.dashboards.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Prometheus configuration ({@code dashboards/prometheus/prometheus.yml}): its static
 * scrape targets and the rule files it names.
 *
 * @param file      the configuration file
 * @param targets   scrape target host to port, over every job's static configs
 * @param ruleFiles the {@code rule_files} entries, relative to the file's folder
 */
record PrometheusFile(Path file, Map<String, Integer> targets, List<String> ruleFiles) {

    /** The configuration's path in the repository. */
    static final String PATH = "dashboards/prometheus/prometheus.yml";

    /** Reads the shipped configuration. */
    static PrometheusFile read() throws IOException {
        Path file = ComposeFile.repoRoot().resolve(PATH);
        Map<String, Object> root = ComposeFile.map(new Yaml().load(Files.readString(file, StandardCharsets.UTF_8)));
        Map<String, Integer> targets = new TreeMap<>();
        for (Object job : (List<?>) root.getOrDefault("scrape_configs", List.of())) {
            for (Object sc : (List<?>) ComposeFile.map(job).getOrDefault("static_configs", List.of())) {
                for (String target : ComposeFile.strings(ComposeFile.map(sc).get("targets"))) {
                    int colon = target.lastIndexOf(':');
                    targets.put(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
                }
            }
        }
        return new PrometheusFile(file, targets, ComposeFile.strings(root.get("rule_files")));
    }
}
