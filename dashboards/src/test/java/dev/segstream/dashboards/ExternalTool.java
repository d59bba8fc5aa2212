package dev.segstream.dashboards;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool a test runs (promtool, prometheus): found on the PATH; where it is missing
 * the test is skipped with the reason, except under CI ({@code CI} set), whose {@code .ci/run}
 * installs it, so that a skipped check cannot pass for a green build there.
 */
record ExternalTool(Path path) {

    static ExternalTool require(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return new ExternalTool(candidate);
            }
        }
        String reason = name + " not found on PATH: install the Debian package '" + debianPackage + "' (.ci/run does)";
        if (System.getenv("CI") != null) {
            fail(reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** Runs the tool to completion in {@code dir}; returns exit code and combined output. */
    Result run(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(path + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), out);
    }

    /** Exit code and output of one run. */
    record Result(int exitCode, String output) {
    }
}
