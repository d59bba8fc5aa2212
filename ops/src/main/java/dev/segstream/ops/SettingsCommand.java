package dev.segstream.ops;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigDocs;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.trainer.online.OnlineTrainerConfig;
import dev.segstream.trainer.service.TrainerServiceConfig;
import dev.segstream.trainer.training.TrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops settings}: the settings reference of every service, generated from the
 * declarations; {@code --write} refreshes the tables embedded in the READMEs.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "Print every service's settings (key, type, default, valid values, doc) as Markdown, or "
                + "--write them into the READMEs between their settings markers.")
public final class SettingsCommand implements Callable<Integer> {

    /**
     * One generated table: its name (in the markers), the README it lives in, and the definition.
     *
     * @param name   section name in the markers
     * @param readme README path relative to the repository root
     * @param def    the definition the table documents
     */
    public record Section(String name, String readme, ConfigDef def) {
    }

    /** Every table, in the READMEs that hold them. */
    public static List<Section> sections() {
        return List.of(
                new Section("topics", "README.md", CommonConfig.define(-1)),
                new Section("producer", "producer/README.md", ProducerConfig.configDef()),
                new Section("segmenter", "segmenter-stream/README.md", SegmenterConfig.configDef()),
                new Section("trainer", "trainer/README.md", TrainerConfig.configDef()),
                new Section("online", "trainer/README.md", OnlineTrainerConfig.configDef()),
                new Section("serve", "trainer/README.md", TrainerServiceConfig.configDef()));
    }

    @Option(names = "--write", description = "Rewrite the tables in the READMEs under --root instead of printing.")
    boolean write;

    @Option(names = "--root", defaultValue = ".", description = "Repository root (default: the current folder).")
    Path root;

    @Override
    public Integer call() throws IOException {
        for (Section s : sections()) {
            String table = ConfigDocs.markdown(s.def());
            if (write) {
                Path readme = root.resolve(s.readme());
                String text = Files.readString(readme, StandardCharsets.UTF_8);
                Files.writeString(readme, ConfigDocs.embed(text, s.name(), table), StandardCharsets.UTF_8);
                System.out.println("wrote " + s.name() + " settings into " + readme);
            } else {
                System.out.println("## " + s.name() + " (" + s.readme() + ")\n\n" + table);
            }
        }
        return 0;
    }
}
