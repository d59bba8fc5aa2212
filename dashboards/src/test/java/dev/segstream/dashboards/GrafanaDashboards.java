package dev.segstream.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shipped Grafana dashboards as the tests see them: each file's JSON, its panels (rows
 * excluded) and every PromQL expression a dashboard runs (panel targets and annotation queries),
 * with where it comes from.
 */
record GrafanaDashboards(List<Board> boards) {

    static final Path DIR = Path.of("grafana", "dashboards");

    /** One dashboard file. */
    record Board(Path file, JsonNode json) {

        String uid() {
            return json.path("uid").asText();
        }

        /** Panels that show data (rows are layout only). */
        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(p -> {
                if (!"row".equals(p.path("type").asText())) {
                    panels.add(p);
                }
            });
            return panels;
        }

        /** Every PromQL the dashboard runs: panel targets, then annotation queries. */
        List<Query> queries() {
            List<Query> queries = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(uid(), "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                            target.path("expr").asText()));
                }
            }
            for (JsonNode a : json.path("annotations").path("list")) {
                if (a.has("expr")) {
                    queries.add(new Query(uid(), "annotation '" + a.path("name").asText() + "'", a.path("expr").asText()));
                }
            }
            return queries;
        }

        /** The names of the dashboard's template variables. */
        List<String> variables() {
            List<String> names = new ArrayList<>();
            json.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
            return names;
        }
    }

    /** One PromQL expression and where it is used. */
    record Query(String dashboard, String where, String expr) {

        @Override
        public String toString() {
            return dashboard + " " + where + ": " + expr;
        }
    }

    static GrafanaDashboards load() {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(DIR)) {
            List<Board> boards = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                boards.add(new Board(f, json.readTree(f.toFile())));
            }
            return new GrafanaDashboards(List.copyOf(boards));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Query> queries() {
        return boards.stream().flatMap(b -> b.queries().stream()).toList();
    }

    int panelCount() {
        return boards.stream().mapToInt(b -> b.panels().size()).sum();
    }

    /**
     * A query as Grafana would send it with every variable at "All" (its {@code allValue} is
     * {@code .+}) and {@code $__rate_interval} at Grafana's value for a 5 s scrape interval
     * (4 x the scrape interval = 20 s).
     */
    static String substituted(String expr) {
        return expr.replace("$__rate_interval", "20s").replace("$job", ".+").replace("$instance", ".+")
                .replace("$variant", ".+");
    }
}
