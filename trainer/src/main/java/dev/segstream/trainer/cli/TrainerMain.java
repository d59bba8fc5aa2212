package dev.segstream.trainer.cli;

import dev.segstream.core.config.CliSupport;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.trainer.online.OnlineTrainerConfig;
import dev.segstream.trainer.service.TrainerServiceConfig;
import dev.segstream.trainer.training.TrainerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** segstream's trainer: train, evaluate, compare (study), visualise and benchmark U-Nets on CamVid-layout data. */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "segstream trainer 0.1.0",
        description = "Train and evaluate segstream's U-Net variants (DJL, PyTorch engine).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, StudyCommand.class, VisualizeCommand.class,
            BenchmarkCommand.class,
            dev.segstream.trainer.cli.OnlineCommand.class, ServeCommand.class})
public final class TrainerMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("trainer: error: missing subcommand: train, evaluate, study, visualize or benchmark (see --help)");
        return CliSupport.EXIT_BAD_INPUT;
    }

    /** Runs the command; bad arguments exit 2 with one line on stderr. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cmd = CliSupport.commandLine(new TrainerMain(), "trainer");
        ConfigHelp help = ConfigHelp.of(TrainerConfig.configDef(), OnlineTrainerConfig.configDef(),
                TrainerServiceConfig.configDef());
        cmd.getSubcommands().values().forEach(c -> c.setResourceBundle(help));
        return cmd;
    }
}
