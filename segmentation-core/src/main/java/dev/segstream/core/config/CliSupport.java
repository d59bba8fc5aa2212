package dev.segstream.core.config;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

/**
 * The one way segstream's command lines report errors: bad arguments, invalid settings and
 * failures print a single line {@code <name>: error: <message>} on stderr and exit 2, without a
 * stack trace or the usage text.
 */
public final class CliSupport {

    /** Exit code of a bad argument, setting or failure. */
    public static final int EXIT_ERROR = 2;

    private CliSupport() {
    }

    /** A command line for {@code command} with segstream's error handling. */
    public static CommandLine commandLine(Object command, String name) {
        CommandLine cmd = new CommandLine(command);
        cmd.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(name + ": error: " + oneLine(ex.getMessage()));
            return EXIT_ERROR;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean expected = ex instanceof ConfigException || ex instanceof IllegalArgumentException;
            String msg = expected ? ex.getMessage() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            commandLine.getErr().println(name + ": error: " + oneLine(msg));
            return EXIT_ERROR;
        });
        return cmd;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replace('\n', ' ').replace('\r', ' ');
    }
}
