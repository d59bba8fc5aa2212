package dev.segstream.trainer.cli;

import dev.segstream.core.config.ConfigHelp;
import dev.segstream.trainer.training.TrainerConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What data a training run reads and how long it runs, shared by {@code train} and {@code study}
 * (per variant there), mapped onto {@link TrainerConfig} keys with help texts from their
 * declarations.
 */
final class RunOptions {

    @Option(names = "--data", required = true, descriptionKey = ConfigHelp.PREFIX + TrainerConfig.DATA)
    Path data;

    @Option(names = "--epochs", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.EPOCHS)
    Integer epochs;

    @Option(names = "--max-minutes", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.MAX_MINUTES)
    Double maxMinutes;

    @Option(names = "--limit", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.LIMIT)
    Integer limit;

    /** Puts every option given into {@code settings}, by config key. */
    void putInto(Map<String, Object> settings) {
        settings.put(TrainerConfig.DATA, data.toString());
        TrainingOptions.putIf(settings, TrainerConfig.EPOCHS, epochs);
        TrainingOptions.putIf(settings, TrainerConfig.MAX_MINUTES, maxMinutes);
        TrainingOptions.putIf(settings, TrainerConfig.LIMIT, limit);
    }
}
