package dev.segstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segstream.dashboards.GrafanaDashboards.Board;
import dev.segstream.dashboards.GrafanaDashboards.Query;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Grafana needs to load the shipped dashboards, and the common rules of Grafana's
 * dashboard-linter: unique uids and a current schema, a {@code datasource} variable every panel
 * and query uses, {@code job}/{@code instance} variables every selector filters on,
 * {@code $__rate_interval} in every range function, units and descriptions on every panel,
 * panels inside the 24-column grid and overlapping none.
 */
class DashboardStructureTest {

    private static final GrafanaDashboards DASHBOARDS = GrafanaDashboards.load();
    /** A metric selector with its label matchers: {@code name{...}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern RANGE_FUNCTION = Pattern.compile("\\b(rate|irate|increase|changes|deriv|delta)\\(([^()]|\\([^()]*\\))*\\[([^\\]]+)]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_]+)");

    @Test
    void shouldHaveUniqueUidsAndCurrentSchemaWhenLoaded() {
        assertThat(DASHBOARDS.boards()).hasSize(3);
        Set<String> uids = new HashSet<>();
        for (Board b : DASHBOARDS.boards()) {
            assertThat(uids.add(b.uid())).as("uid %s of %s is unique", b.uid(), b.file()).isTrue();
            assertThat(b.uid()).matches("[a-z0-9-]{1,40}");
            assertThat(b.json().path("schemaVersion").asInt()).as("schemaVersion of %s", b.file()).isGreaterThanOrEqualTo(39);
            assertThat(b.json().path("editable").asBoolean(true)).as("provisioned dashboards are not editable").isFalse();
        }
        System.out.printf("checked %d dashboards, %d panels, %d queries%n", DASHBOARDS.boards().size(),
                DASHBOARDS.panelCount(), DASHBOARDS.queries().size());
    }

    @Test
    void shouldUseTheDatasourceVariableWhenPanelsQuery() {
        for (Board b : DASHBOARDS.boards()) {
            JsonNode ds = variable(b, "datasource");
            assertThat(ds).as("%s has a datasource variable", b.file()).isNotNull();
            assertThat(ds.path("type").asText()).isEqualTo("datasource");
            assertThat(ds.path("query").asText()).isEqualTo("prometheus");
            for (JsonNode p : b.panels()) {
                assertThat(p.path("datasource").path("uid").asText()).as("panel %s", p.path("title")).isEqualTo("${datasource}");
                p.path("targets").forEach(t -> assertThat(t.path("datasource").path("uid").asText())
                        .as("target of %s", p.path("title")).isEqualTo("${datasource}"));
            }
        }
    }

    @Test
    void shouldDefineEveryVariableWhenQueriesUseIt() {
        for (Board b : DASHBOARDS.boards()) {
            assertThat(b.variables()).as("%s variables", b.file()).contains("datasource", "job", "instance");
            for (Query q : b.queries()) {
                Matcher m = VARIABLE.matcher(q.expr());
                while (m.find()) {
                    String name = m.group(1);
                    assertThat(name.startsWith("__") || b.variables().contains(name)).as("variable $%s in %s", name, q).isTrue();
                }
            }
        }
    }

    @Test
    void shouldFilterOnJobAndInstanceWhenSelectingSeries() {
        List<String> unfiltered = new ArrayList<>();
        for (Query q : DASHBOARDS.queries()) {
            Matcher m = SELECTOR.matcher(q.expr());
            int selectors = 0;
            while (m.find()) {
                selectors++;
                if (!m.group(2).contains("job=~\"$job\"") || !m.group(2).contains("instance=~\"$instance\"")) {
                    unfiltered.add(m.group() + " in " + q);
                }
            }
            assertThat(selectors).as("selectors in %s", q).isPositive();
        }
        assertThat(unfiltered).as("selectors without job=~\"$job\" and instance=~\"$instance\"").isEmpty();
    }

    @Test
    void shouldUseRateIntervalWhenRangeFunctionsAreUsed() {
        List<String> fixed = new ArrayList<>();
        for (Query q : DASHBOARDS.queries()) {
            Matcher m = RANGE_FUNCTION.matcher(q.expr());
            while (m.find()) {
                // annotations run on Grafana's own step, so a fixed window is what they need
                if (!m.group(3).equals("$__rate_interval") && !q.where().startsWith("annotation")) {
                    fixed.add(m.group() + " in " + q);
                }
            }
        }
        assertThat(fixed).as("range functions not over $__rate_interval").isEmpty();
    }

    @Test
    void shouldDescribeEveryPanelWithUnitWhenShown() {
        for (Board b : DASHBOARDS.boards()) {
            for (JsonNode p : b.panels()) {
                assertThat(p.path("title").asText()).isNotBlank();
                assertThat(p.path("description").asText()).as("description of %s", p.path("title")).isNotBlank();
                assertThat(p.path("fieldConfig").path("defaults").path("unit").asText()).as("unit of %s", p.path("title"))
                        .isNotBlank();
                assertThat(p.path("targets").size()).as("targets of %s", p.path("title")).isPositive();
            }
        }
    }

    @Test
    void shouldPlacePanelsInsideTheGridWithoutOverlapWhenLaidOut() {
        for (Board b : DASHBOARDS.boards()) {
            List<int[]> boxes = new ArrayList<>();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : b.json().path("panels")) {
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt();
                int y = g.path("y").asInt();
                int w = g.path("w").asInt();
                int h = g.path("h").asInt();
                assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique in %s", p.path("id"), b.file()).isTrue();
                assertThat(w).as("width of %s", p.path("title")).isBetween(1, 24);
                assertThat(x + w).as("right edge of %s", p.path("title")).isLessThanOrEqualTo(24);
                assertThat(h).isPositive();
                for (int[] o : boxes) {
                    boolean overlap = x < o[0] + o[2] && o[0] < x + w && y < o[1] + o[3] && o[1] < y + h;
                    assertThat(overlap).as("%s overlaps another panel in %s", p.path("title"), b.file()).isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
            }
        }
    }

    private static JsonNode variable(Board b, String name) {
        for (JsonNode v : b.json().path("templating").path("list")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }
}
