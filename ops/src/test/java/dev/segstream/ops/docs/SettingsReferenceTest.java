package dev.segstream.ops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.ConfigDocs;
import dev.segstream.ops.SettingsCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings tables in the READMEs are exactly what the declarations generate. */
class SettingsReferenceTest {

    @Test
    void shouldMatchTheDeclarationsWhenReadmesEmbedTheSettingsReference() throws Exception {
        Path root = Path.of(System.getProperty("segstream.repo.root", ".."));
        int keys = 0;
        for (SettingsCommand.Section s : SettingsCommand.sections()) {
            String text = Files.readString(root.resolve(s.readme()), StandardCharsets.UTF_8);
            assertThat(ConfigDocs.embedded(text, s.name()))
                    .as("%s settings in %s are stale: run `java -jar ops/target/ops.jar settings --write` "
                            + "from the repository root", s.name(), s.readme())
                    .isEqualTo(ConfigDocs.markdown(s.def()));
            keys += s.def().names().size();
        }
        assertThat(keys).isGreaterThan(60);
    }
}
