package dev.segstream.dashboards.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is a valid Compose file: no Docker engine runs here, and Debian's
 * docker-compose 1.29 predates the Compose Specification (it rejects a top-level {@code name:}),
 * so the file is validated against the specification's JSON schema instead. The negative tests
 * show the validator really rejects broken copies of the file.
 */
class ComposeFileTest {

    private static String text;
    private static ComposeSchema schema;

    @BeforeAll
    static void load() throws IOException {
        text = Files.readString(ComposeFile.repoRoot().resolve(ComposeFile.NAME), StandardCharsets.UTF_8);
        boolean present = Files.isRegularFile(ComposeSchema.path());
        if (!present) {
            System.out.println("SKIPPED: " + ComposeSchema.path() + " is absent (" + ComposeSchema.LOCATION
                    + " beside the checkout); docker-compose.yml is not validated against the Compose schema");
        }
        assumeTrue(present, () -> "Compose schema not found at " + ComposeSchema.path()
                + ": schema validation skipped (it lives in ../shared/schemas beside the repository)");
        schema = ComposeSchema.load();
    }

    @Test
    void shouldMatchComposeSpecificationWhenRepositoryFileIsValidated() {
        ComposeFile compose = ComposeFile.parse(text);

        List<String> errors = schema.errors(compose.root());

        assertThat(errors).as("docker-compose.yml against compose-spec.json").isEmpty();
        System.out.println("validated " + compose.serviceNames().size() + " services against compose-spec.json "
                + compose.serviceNames());
    }

    @Test
    void shouldResolveMergeKeysWhenServiceExtendsSharedBlock() {
        ComposeFile compose = ComposeFile.parse(text);

        // producer takes restart and depends_on from the x-segstream-service block (<<: *...)
        assertThat(compose.service("producer").raw()).containsEntry("restart", "unless-stopped");
        assertThat(compose.service("producer").dependsOn()).containsEntry("topics", "service_completed_successfully");
        assertThat(compose.service("producer").raw()).doesNotContainKey("<<");
    }

    @Test
    void shouldRejectFileWhenTopLevelKeyIsUnknown() {
        ComposeFile broken = ComposeFile.parse(text + "\nservicez:\n  oops: {}\n");

        assertRejected(broken, "servicez", "unknown top-level key");
    }

    @Test
    void shouldRejectFileWhenPortsIsANumber() {
        ComposeFile broken = ComposeFile.parse(text);
        Map<String, Object> prometheus = ComposeFile.map(ComposeFile.map(broken.root().get("services")).get("prometheus"));
        prometheus.put("ports", 5);

        assertRejected(broken, "ports", "ports: 5");
    }

    @Test
    void shouldRejectFileWhenHealthcheckKeyIsMisspelt() {
        ComposeFile broken = ComposeFile.parse(text);
        Map<String, Object> kafka = ComposeFile.map(ComposeFile.map(broken.root().get("services")).get("kafka"));
        ComposeFile.map(kafka.get("healthcheck")).put("intervall", "5s");

        assertRejected(broken, "intervall", "misspelt healthcheck key");
    }

    @Test
    void shouldRejectFileWhenDependsOnConditionIsUnknown() {
        ComposeFile broken = ComposeFile.parse(text.replace("condition: service_completed_successfully",
                "condition: service_done"));

        assertRejected(broken, "depends_on", "unknown depends_on condition");
    }

    private static void assertRejected(ComposeFile broken, String mentioning, String what) {
        List<String> errors = schema.errors(broken.root());
        assertThat(errors).as(what).anySatisfy(e -> assertThat(e).contains(mentioning));
        System.out.println("rejected broken copy (" + what + "): " + errors.get(0));
    }
}
