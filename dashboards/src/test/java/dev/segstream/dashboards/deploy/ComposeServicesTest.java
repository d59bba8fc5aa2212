package dev.segstream.dashboards.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.ConfigSources;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The segstream services of {@code docker-compose.yml} match their code: every {@code SEGSTREAM_*}
 * variable names a setting the service declares, every command parses with the service's picocli
 * command and yields a valid config, every metrics port is the one Prometheus scrapes and the
 * health check probes, and the services wait for what they need.
 */
class ComposeServicesTest {

    private static ComposeFile compose;
    private static List<SegstreamService> services;

    @BeforeAll
    static void load() throws IOException {
        compose = ComposeFile.read();
        services = SegstreamService.all(compose);
    }

    @Test
    void shouldBuildProducerSegmenterTrainerAndTopicsWhenComposeRuns() {
        assertThat(services).extracting(SegstreamService::command)
                .containsExactlyInAnyOrder("ops topics", "producer", "segmenter", "trainer serve");
        services.forEach(s -> System.out.println(s.service().name() + ": " + s.mainClass() + " `" + s.command()
                + "` from " + ComposeFile.repoRoot().relativize(s.jar()) + ", command " + s.service().command()
                + " parses, metrics.port=" + s.metricsPort()));
    }

    @Test
    void shouldDeclareEverySettingWhenServiceGetsSegstreamVariable() {
        for (SegstreamService s : services) {
            Set<String> declared = SegstreamService.definition(s.command()).names();
            Map<String, String> env = s.service().environment();
            List<String> vars = env.keySet().stream().filter(k -> k.startsWith(ConfigSources.ENV_PREFIX)).toList();
            for (String var : vars) {
                assertThat(declared).as("%s: %s maps onto a setting `%s` declares", s.service().name(), var,
                        s.command()).contains(ConfigSources.envToKey(var));
            }
            assertThat(env.keySet()).as("%s: every variable is a segstream setting", s.service().name())
                    .allMatch(k -> k.startsWith(ConfigSources.ENV_PREFIX));
            System.out.println(s.service().name() + ": " + vars.size() + " SEGSTREAM_ variables, all declared by `"
                    + s.command() + "`: " + vars.stream().map(ConfigSources::envToKey).toList());
        }
        compose.services().stream().filter(c -> c.build().isEmpty()).forEach(c -> assertThat(c.environment())
                .as("%s runs no segstream code", c.name()).noneSatisfy((k, v) -> assertThat(k).startsWith("SEGSTREAM_")));
    }

    @Test
    void shouldScrapeEachMetricsPortWhenPrometheusTargetsServiceByName() throws IOException {
        PrometheusFile prometheus = PrometheusFile.read();
        for (SegstreamService s : services) {
            String name = s.service().name();
            if (s.metricsPort() < 0) {
                assertThat(prometheus.targets()).as("%s serves no metrics", name).doesNotContainKey(name);
                continue;
            }
            assertThat(prometheus.targets()).as("prometheus.yml scrapes %s where it serves metrics", name)
                    .containsEntry(name, s.metricsPort());
            assertThat(s.service().containerPorts()).as("%s exposes its metrics port", name).contains(s.metricsPort());
        }
        assertThat(compose.serviceNames()).as("every scrape target is a compose service")
                .containsAll(prometheus.targets().keySet());
        System.out.println("prometheus.yml targets match the services' metrics ports: " + prometheus.targets());
    }

    @Test
    void shouldProbeMetricsEndpointWhenHealthcheckingJavaService() {
        for (SegstreamService s : services) {
            String check = String.join(" ", s.service().healthcheck());
            if (compose.isOneShot(s.service().name())) {
                continue; // others wait for it to complete, not to be healthy
            }
            assertThat(check).as("%s health check hits its own /metrics port", s.service().name())
                    .contains("/dev/tcp/127.0.0.1/" + s.metricsPort() + " ").contains("GET /metrics ");
        }
    }

    @Test
    void shouldHaveHealthcheckWhenServiceIsNotOneShot() {
        for (ComposeService s : compose.services()) {
            if (!compose.isOneShot(s.name())) {
                assertThat(s.healthcheck()).as("%s has a health check", s.name()).isNotEmpty();
            }
        }
        assertThat(String.join(" ", compose.service("kafka").healthcheck())).contains("--bootstrap-server localhost:9092");
        assertThat(String.join(" ", compose.service("prometheus").healthcheck())).contains("localhost:9090/-/ready");
        assertThat(String.join(" ", compose.service("grafana").healthcheck())).contains("localhost:3000/api/health");
    }

    @Test
    void shouldWaitForConditionServiceCanMeetWhenDependingOnIt() {
        for (ComposeService s : compose.services()) {
            s.dependsOn().forEach((target, condition) -> {
                ComposeService dep = compose.service(target);
                switch (condition) {
                    case "service_healthy" -> assertThat(dep.healthcheck())
                            .as("%s waits for %s to be healthy: it needs a health check", s.name(), target).isNotEmpty();
                    case "service_completed_successfully" -> assertThat(dep.restartsNever())
                            .as("%s waits for %s to complete: it must not restart", s.name(), target).isTrue();
                    default -> assertThat(condition).isEqualTo("service_started");
                }
            });
        }
    }
}
