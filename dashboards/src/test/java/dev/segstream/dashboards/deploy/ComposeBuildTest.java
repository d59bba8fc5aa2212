package dev.segstream.dashboards.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.dashboards.deploy.ComposeService.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the compose file takes from the repository exists: each image copies files that
 * {@code mvn package} produced (this module builds after the services in the reactor) and that its
 * {@code .dockerignore} lets through, each bind mount names a repository path, each named volume is
 * declared, and Prometheus and Grafana find their files where their configurations look.
 */
class ComposeBuildTest {

    private static ComposeFile compose;
    private static List<SegstreamService> services;

    @BeforeAll
    static void load() throws IOException {
        compose = ComposeFile.read();
        services = SegstreamService.all(compose);
    }

    @Test
    void shouldCopyFilesThePackageBuildProducedWhenImageIsBuilt() throws IOException {
        for (SegstreamService s : services) {
            ComposeService.Build build = s.service().build().orElseThrow();
            Path context = ComposeFile.repoRoot().resolve(build.context()).normalize();
            DockerIgnore ignore = DockerIgnore.of(context);
            assertThat(s.dockerfile().from()).as("%s base image", s.service().name()).isEqualTo("eclipse-temurin:17-jre");
            for (Dockerfile.Copy copy : s.dockerfile().copies()) {
                List<Path> files = files(context.resolve(copy.source()));
                assertThat(files).as("%s: COPY %s exists after mvn package", s.service().name(), copy.source())
                        .isNotEmpty();
                assertThat(files).as("%s: .dockerignore sends COPY %s", s.service().name(), copy.source())
                        .anyMatch(f -> ignore.sends(context.relativize(f)));
                System.out.println(s.service().name() + ": " + build.context() + "/" + build.dockerfile() + " COPY "
                        + copy.source() + " (" + files.size() + " files) -> " + copy.destination());
            }
        }
    }

    @Test
    void shouldFindEveryClassPathJarBesideTheJarWhenImageRunsIt() throws IOException {
        for (SegstreamService s : services) {
            Path context = ComposeFile.repoRoot().resolve(s.service().build().orElseThrow().context()).normalize();
            DockerIgnore ignore = DockerIgnore.of(context);
            String jarDest = s.dockerfile().entrypoint().get(s.dockerfile().entrypoint().indexOf("-jar") + 1);
            String imageDir = jarDest.substring(0, jarDest.lastIndexOf('/') + 1);
            List<String> left = new ArrayList<>();
            for (String entry : classPath(s.jar())) {
                Path built = s.jar().resolveSibling(entry);
                assertThat(built).as("%s: Class-Path %s built", s.service().name(), entry).isRegularFile();
                // the image must hold the entry at the same place relative to the jar
                assertThat(s.dockerfile().copyOf(imageDir + entry).source())
                        .as("%s: copied from beside the jar", s.service().name())
                        .isEqualTo(context.relativize(built.getParent()) + "/");
                if (!ignore.sends(context.relativize(built))) {
                    left.add(entry);
                }
            }
            if (Set.of("segmenter", "trainer").contains(s.service().name())) {
                assertThat(left).as("%s loads PyTorch: libtorch must reach the image", s.service().name())
                        .noneMatch(e -> e.contains("pytorch"));
            }
            System.out.println(s.service().name() + ": " + classPath(s.jar()).size() + " Class-Path jars built, "
                    + (left.isEmpty() ? "all in the image" : "left out by .dockerignore: " + left));
        }
    }

    @Test
    void shouldFindHostPathInRepositoryWhenServiceBindMountsIt() {
        for (ComposeService s : compose.services()) {
            for (Mount m : s.mounts()) {
                if (m.bind()) {
                    assertThat(ComposeFile.repoRoot().resolve(m.source()).normalize())
                            .as("%s mounts %s", s.name(), m.source()).exists()
                            .startsWith(ComposeFile.repoRoot());
                }
            }
        }
    }

    @Test
    void shouldDeclareNamedVolumeWhenServiceMountsIt() {
        Set<String> used = new TreeSet<>();
        compose.services().forEach(s -> s.mounts().stream().filter(m -> !m.bind()).forEach(m -> used.add(m.source())));

        assertThat(compose.declaredVolumes()).as("named volumes declared and used").isEqualTo(used);
    }

    @Test
    void shouldMountConfigAndRuleFilesWhenPrometheusStarts() throws IOException {
        PrometheusFile config = PrometheusFile.read();
        Mount mount = mountAt("prometheus", "/etc/prometheus");

        Path folder = ComposeFile.repoRoot().resolve(mount.source()).normalize();
        assertThat(folder.resolve("prometheus.yml")).isEqualTo(config.file());
        config.ruleFiles().forEach(rule -> assertThat(folder.resolve(rule)).as("rule file %s", rule).isRegularFile());
        System.out.println("prometheus: " + mount.source() + " at " + mount.target() + ", rule_files "
                + (config.ruleFiles().isEmpty() ? "none yet" : config.ruleFiles()));
    }

    @Test
    void shouldFindDashboardsWhereProvisioningPointsWhenGrafanaStarts() throws IOException {
        Mount provisioning = mountAt("grafana", "/etc/grafana/provisioning");
        Path folder = ComposeFile.repoRoot().resolve(provisioning.source()).normalize();
        Yaml yaml = new Yaml();

        for (Object p : (List<?>) ComposeFile.map(yaml.load(read(folder.resolve("dashboards/segstream.yml")))).get("providers")) {
            String path = String.valueOf(ComposeFile.map(ComposeFile.map(p).get("options")).get("path"));
            Path dashboards = ComposeFile.repoRoot().resolve(mountAt("grafana", path).source());
            assertThat(files(dashboards)).as("dashboards at %s", path).anyMatch(f -> f.toString().endsWith(".json"));
        }
        for (Object d : (List<?>) ComposeFile.map(yaml.load(read(folder.resolve("datasources/prometheus.yml")))).get("datasources")) {
            String url = String.valueOf(ComposeFile.map(d).get("url"));
            assertThat(url).isEqualTo("http://prometheus:" + compose.service("prometheus").containerPorts().get(0));
        }
    }

    private static Mount mountAt(String service, String target) {
        return compose.service(service).mounts().stream().filter(m -> m.target().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + target));
    }

    private static List<String> classPath(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String cp = file.getManifest().getMainAttributes().getValue("Class-Path");
            return cp == null ? List.of() : List.of(cp.trim().split("\\s+"));
        }
    }

    private static List<Path> files(Path path) throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
