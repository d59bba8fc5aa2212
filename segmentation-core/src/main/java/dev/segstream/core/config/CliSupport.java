package dev.segstream.core.config;

import java.io.UncheckedIOException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

/**
 * The one way segstream's command lines report errors: one line {@code <name>: error: <message>}
 * on stderr, no stack trace, no usage dump. Bad input (an unknown option, an invalid value, a
 * setting that fails validation, an unreadable file) exits {@value #EXIT_BAD_INPUT}; any other
 * failure exits {@value #EXIT_FAILURE}.
 */
public final class CliSupport {

    /** Exit code of a bad argument or setting. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code of a failure while running. */
    public static final int EXIT_FAILURE = 1;

    private CliSupport() {
    }

    /** A command line for {@code command} with segstream's error handling. */
    public static CommandLine commandLine(Object command, String name) {
        CommandLine cmd = new CommandLine(command);
        cmd.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(errorLine(name, ex.getMessage() + " (see --help)"));
            return EXIT_BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(errorLine(name, describe(ex)));
            boolean badInput = ex instanceof ConfigException || ex instanceof IllegalArgumentException
                    || ex instanceof UncheckedIOException;
            return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
        });
        return cmd;
    }

    /** The message of {@code ex}, with its cause's where the message alone says too little. */
    static String describe(Exception ex) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        Throwable cause = ex.getCause();
        if ((ex instanceof UncheckedIOException || ex instanceof KafkaException) && cause != null) {
            String detail = cause.getMessage();
            msg += ": " + (detail == null || msg.contains(detail) ? cause.getClass().getSimpleName() : detail);
        }
        return msg;
    }

    static String errorLine(String name, String message) {
        return name + ": error: " + message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
