package dev.segstream.ops;

import dev.segstream.core.config.CliSupport;
import dev.segstream.ops.bench.BenchCommand;
import dev.segstream.ops.broker.BrokerCommand;
import dev.segstream.ops.demo.DemoCommand;
import dev.segstream.ops.demo.LogSetup;
import dev.segstream.ops.models.ModelsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code ops}: the in-process broker, the end-to-end demo and cluster housekeeping. */
@Command(name = "ops", mixinStandardHelpOptions = true, version = "segstream ops 0.1.0",
        description = "segstream operations: in-process Kafka broker, end-to-end demo, topic creation, benchmarks.",
        subcommands = {BrokerCommand.class, DemoCommand.class, TopicsCommand.class, BenchCommand.class,
            SettingsCommand.class, ModelsCommand.class})
public final class OpsMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: broker, demo, topics or bench");
    }

    /** Runs the command; bad arguments exit 2 with one line on stderr. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        LogSetup.claimProcess(); // first: this JVM is ours, the demo may move its logs and fd 2 to a file
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        return CliSupport.commandLine(new OpsMain(), "ops");
    }
}
