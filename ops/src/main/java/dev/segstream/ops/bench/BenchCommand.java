package dev.segstream.ops.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code ops bench}: benchmarks, run as commands (not as timed tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {PipelineBenchCommand.class, SoakCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: pipeline or soak");
    }

    /** Runs a benchmark on its own ({@code java -cp ops.jar dev.segstream.ops.bench.BenchCommand pipeline}). */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(dev.segstream.core.config.CliSupport.commandLine(new BenchCommand(), "bench").execute(args));
    }
}
