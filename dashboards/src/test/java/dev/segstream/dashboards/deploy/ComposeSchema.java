package dev.segstream.dashboards.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Compose Specification's JSON schema ({@code ../shared/schemas/compose-spec.json}, draft-07)
 * through networknt's validator. The file is not part of the repository: it lives in the shared
 * folder beside the checkout, so tests using it skip when it is absent.
 */
final class ComposeSchema {

    /** Where the schema lives, relative to the repository root. */
    static final String LOCATION = "../shared/schemas/compose-spec.json";

    private final Schema schema;
    private final JsonMapper json = JsonMapper.builder().build();

    private ComposeSchema(Schema schema) {
        this.schema = schema;
    }

    /** The schema file's path (it may not exist). */
    static Path path() {
        return ComposeFile.repoRoot().resolve(LOCATION).normalize();
    }

    /** Loads the schema from {@link #path()}. */
    static ComposeSchema load() throws IOException {
        String text = Files.readString(path(), StandardCharsets.UTF_8);
        // Draft-07 whatever $schema spells (the file says https://, the draft's id is http://), and
        // no $ref leaves the file, so nothing is fetched. The file's relative $id
        // ("compose_spec.json") needs a base: the file's own URI.
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        return new ComposeSchema(registry.getSchema(SchemaLocation.of(path().toUri().toString()), text,
                InputFormat.JSON));
    }

    /**
     * The schema's complaints about a compose document, one line each ({@code $.path: message}).
     *
     * @param document the parsed compose file (merge keys already resolved, as Compose validates)
     */
    List<String> errors(Map<String, Object> document) {
        JsonNode node = json.valueToTree(document);
        return schema.validate(node).stream().map(Error::toString).toList();
    }
}
