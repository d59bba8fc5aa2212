package dev.segstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus configuration, recording rules and alerts, checked by Prometheus' own
 * promtool: the config and rules parse, and every alert's unit tests in {@code rules.test.yml}
 * (input series that must fire it and series that must leave it silent) pass. Also: every alert
 * has a test, a severity, summary, description and a runbook section in the README.
 */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("prometheus");
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\w+)");

    @Test
    void shouldPassPromtoolCheckWhenConfigAndRulesAreShipped(@TempDir Path tmp) throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool", "prometheus");
        ExternalTool.Result config = promtool.run(DIR, 60, "check", "config", "prometheus.yml");
        System.out.println(config.output().strip());
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("1 rule files found");
        ExternalTool.Result rules = promtool.run(DIR, 60, "check", "rules", "rules.yml");
        System.out.println(rules.output().strip());
        assertThat(rules.exitCode()).as(rules.output()).isZero();
    }

    @Test
    void shouldFireAndStaySilentAsTestedWhenAlertUnitTestsRun() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool", "prometheus");
        ExternalTool.Result result = promtool.run(DIR, 120, "test", "rules", "rules.test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        String tests = Files.readString(DIR.resolve("rules.test.yml"));
        long cases = Pattern.compile("(?m)^\\s*alertname: ").matcher(tests).results().count();
        System.out.printf("promtool test rules: %d alerts, %d alert evaluations, SUCCESS%n", alerts().size(), cases);
    }

    @Test
    void shouldTestAndDocumentEveryAlertWhenDefined() throws Exception {
        String rules = Files.readString(DIR.resolve("rules.yml"));
        String tests = Files.readString(DIR.resolve("rules.test.yml"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(alerts()).hasSizeGreaterThanOrEqualTo(8);
        for (String alert : alerts()) {
            assertThat(tests).as("unit test of %s", alert).contains("alertname: " + alert);
            assertThat(tests).as("a firing case of %s", alert).containsPattern("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels");
            assertThat(tests).as("a silent case of %s", alert).containsPattern("alertname: " + alert + "\\s+exp_alerts: \\[]");
            assertThat(readme).as("runbook section for %s", alert).contains("### " + alert);
            assertThat(rules).as("runbook link of %s", alert).contains("dashboards/README.md#" + alert.toLowerCase());
        }
        for (String block : rules.split("- alert: ")) {
            if (block.contains("expr:") && !block.startsWith("#") && !block.contains("record:")) {
                assertThat(block).contains("for: ", "severity: ", "summary: ", "description: ", "runbook: ");
            }
        }
    }

    private static java.util.List<String> alerts() throws Exception {
        Matcher m = ALERT.matcher(Files.readString(DIR.resolve("rules.yml")));
        java.util.List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
