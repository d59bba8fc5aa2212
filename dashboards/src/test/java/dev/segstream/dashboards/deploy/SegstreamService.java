package dev.segstream.dashboards.deploy;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.core.config.ConfigSources;
import dev.segstream.ops.OpsMain;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.producer.ProducerMain;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterMain;
import dev.segstream.trainer.cli.TrainerMain;
import dev.segstream.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A compose service built from this repository, read the way its code reads it: the jar its
 * Dockerfile runs, that jar's main class, the picocli command its {@code command:} selects (parsed,
 * not run), and the settings that command would build from the service's environment and options.
 *
 * @param service    the compose service
 * @param dockerfile its Dockerfile
 * @param jar        the jar the entrypoint runs, as the build left it under the context
 * @param mainClass  the jar's {@code Main-Class}
 * @param command    the picocli command path, e.g. {@code trainer serve}
 * @param settings   the merged settings: {@code SEGSTREAM_*} environment &lt; options
 * @param config     the service's own {@code ...Config} built from them (validated)
 */
record SegstreamService(ComposeService service, Dockerfile dockerfile, Path jar, String mainClass, String command,
                        Map<String, Object> settings, AbstractConfig config) {

    /**
     * Resolves a service with a {@code build:} section.
     *
     * @throws IllegalArgumentException naming the service when a step does not match the code
     */
    static SegstreamService resolve(ComposeService service) throws IOException {
        ComposeService.Build build = service.build().orElseThrow();
        Path context = ComposeFile.repoRoot().resolve(build.context()).normalize();
        Dockerfile dockerfile = Dockerfile.read(context.resolve(build.dockerfile()));
        List<String> entry = dockerfile.entrypoint();
        int jarFlag = entry.indexOf("-jar");
        if (jarFlag < 0 || jarFlag + 1 >= entry.size()) {
            throw new IllegalArgumentException(service.name() + ": ENTRYPOINT runs no `java -jar`: " + entry);
        }
        Path jar = context.resolve(dockerfile.copyOf(entry.get(jarFlag + 1)).source()).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(service.name() + ": the image runs " + entry.get(jarFlag + 1)
                    + ", copied from " + ComposeFile.repoRoot().relativize(jar) + ", which `mvn package` did not "
                    + "produce (package first; in the reactor this module builds after the services)");
        }
        String mainClass;
        try (JarFile file = new JarFile(jar.toFile())) {
            mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
        }
        Map<String, String> env = service.environment();
        ParseResult leaf;
        try {
            leaf = commandLine(mainClass, env).parseArgs(service.command().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(service.name() + ": command " + service.command() + " does not parse: "
                    + e.getMessage(), e);
        }
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        String command = leaf.commandSpec().qualifiedName(" ");
        Map<String, Object> settings = ConfigSources.resolve(null, env, optionSettings(service.name(), leaf));
        try {
            return new SegstreamService(service, dockerfile, jar, mainClass, command, settings,
                    config(command, settings));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(service.name() + ": `" + command + "` rejects its settings: "
                    + e.getMessage(), e);
        }
    }

    /** Every service of {@code compose} built from this repository, resolved. */
    static List<SegstreamService> all(ComposeFile compose) throws IOException {
        List<SegstreamService> out = new ArrayList<>();
        for (ComposeService s : compose.services()) {
            if (s.build().isPresent()) {
                out.add(resolve(s));
            }
        }
        return out;
    }

    /** The picocli command line of a main class, as its {@code main} builds it. */
    static CommandLine commandLine(String mainClass, Map<String, String> env) {
        return switch (mainClass) {
            case "dev.segstream.producer.ProducerMain" -> ProducerMain.commandLine(new ProducerMain(env));
            case "dev.segstream.segmenter.SegmenterMain" -> SegmenterMain.commandLine();
            case "dev.segstream.trainer.cli.TrainerMain" -> TrainerMain.commandLine();
            case "dev.segstream.ops.OpsMain" -> OpsMain.commandLine();
            default -> throw new IllegalArgumentException("unknown main class " + mainClass);
        };
    }

    /** The settings definition a command builds its config from. */
    static ConfigDef definition(String command) {
        return switch (command) {
            case "producer" -> ProducerConfig.configDef();
            case "segmenter" -> SegmenterConfig.configDef();
            case "trainer serve" -> TrainerServiceConfig.configDef();
            case "ops topics" -> CommonConfig.define(-1); // TopicsCommand's definition
            default -> throw new IllegalArgumentException("no settings known for `" + command + "`");
        };
    }

    /** The config a command builds; the typed constructors add their cross-checks. */
    static AbstractConfig config(String command, Map<String, Object> settings) {
        return switch (command) {
            case "producer" -> new ProducerConfig(settings);
            case "segmenter" -> new SegmenterConfig(settings);
            case "trainer serve" -> new TrainerServiceConfig(settings);
            default -> new AbstractConfig(definition(command), settings, false);
        };
    }

    /**
     * The settings the matched options set: options documented by a setting ({@code descriptionKey}
     * = {@link ConfigHelp#PREFIX} + key), the shared {@code --bootstrap-servers}, {@code --kafka} and
     * {@code --metrics-port}. Any other option's key is not knowable from outside the command, so
     * it is refused: compose gives settings as {@code SEGSTREAM_*} variables.
     */
    private static Map<String, String> optionSettings(String service, ParseResult leaf) {
        Map<String, String> out = new TreeMap<>();
        List<String> unmapped = new ArrayList<>();
        for (OptionSpec o : leaf.matchedOptions()) {
            String key = o.descriptionKey() != null && o.descriptionKey().startsWith(ConfigHelp.PREFIX)
                    ? o.descriptionKey().substring(ConfigHelp.PREFIX.length())
                    : switch (o.longestName()) {
                        case "--bootstrap-servers" -> CommonConfig.BOOTSTRAP_SERVERS;
                        case "--metrics-port" -> CommonConfig.METRICS_PORT;
                        default -> null;
                    };
            if ("--kafka".equals(o.longestName())) {
                out.putAll(ConfigSources.parsePairs(o.originalStringValues()));
            } else if (key != null) {
                out.put(key, String.join(",", o.originalStringValues()));
            } else {
                unmapped.add(o.longestName());
            }
        }
        if (!unmapped.isEmpty()) {
            throw new IllegalArgumentException(service + ": options " + unmapped + " set no setting this check can "
                    + "see; give settings as SEGSTREAM_* environment variables instead");
        }
        return out;
    }

    /** The service's metrics port as the code resolves it (option, else environment, else default). */
    int metricsPort() {
        return config.getInt(CommonConfig.METRICS_PORT);
    }
}
