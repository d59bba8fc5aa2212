package dev.segstream.ops.bench;

import dev.segstream.ops.report.JsonLine;
import dev.segstream.ops.verify.EosVerdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ops bench soak}: the learning loop (broker, producer, segmenter, trainer service) in one
 * JVM for {@code --minutes}, printing progress and memory every sample, then the memory verdict by
 * {@link MemoryTrend}'s rule and {@link dev.segstream.ops.verify.EosVerifier}'s line. Exit code 0
 * when memory is flat and the verifier passes, 1 when the verifier fails, 2 when memory grows, 3
 * when the run was too short to judge memory.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the loop for --minutes; memory every minute; verdict FLAT or GROWING and EOS check.")
public final class SoakCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "60", description = "Minutes to publish (fractions allowed). Default ${DEFAULT-VALUE}.")
    double minutes;

    @Option(names = "--fps", defaultValue = "2", description = "Frames per second per camera. Default ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--cameras", defaultValue = "4", description = "Synthetic cameras. Default ${DEFAULT-VALUE}.")
    int cameras;

    @Option(names = "--kafka-port", defaultValue = "0", description = "Port of the in-process broker (0 = any free). Default ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--trainer", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the trainer service, whose versions the segmenter hot-swaps (default; --no-trainer: one model).")
    boolean trainer;

    @Option(names = "--train-share", defaultValue = "0.25", description = "serve.train.share of the trainer service: "
            + "its share of wall-clock time in training steps, kept low on a shared machine. Default ${DEFAULT-VALUE}.")
    double trainShare;

    @Option(names = "--report", description = "Also write every sample and the verdict as JSON lines to this file.")
    Path report;

    @Option(names = "--drain-timeout", defaultValue = "120", description = "Seconds to wait for outstanding masks at the end. Default ${DEFAULT-VALUE}.")
    long drainTimeoutSeconds;

    @Option(names = "--sample-seconds", defaultValue = "60", hidden = true,
            description = "Seconds between samples (for short smoke runs; the rule is stated per minute whatever the interval).")
    long sampleSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || !(fps > 0) || cameras < 1 || sampleSeconds < 1 || drainTimeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--minutes, --fps, --cameras, --sample-seconds and --drain-timeout must be positive");
        }
        PrintStream out = System.out;
        try (BufferedWriter reportFile = report == null ? null : Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
            SoakRun.Outcome outcome = new SoakRun(this, out, s -> {
                out.println(s.line());
                write(reportFile, s.json());
            }).execute();
            double warmup = MemoryTrend.warmupMinutes(minutes);
            List<MemoryTrend> trends = trends(outcome.samples(), warmup);
            // native (RSS minus the JVM's committed memory) is printed to locate growth, not judged:
            // when the JVM gives committed heap back, it rises by as much while RSS stays flat
            MemoryTrend nativeTrend = trend("native", outcome.samples(),
                    outcome.samples().stream().mapToDouble(SoakSample::minute).toArray(), SoakSample::nativeMib, warmup);
            MemoryTrend.State memory = MemoryTrend.verdict(trends);
            EosVerdict eos = outcome.verdict();
            int exit = !eos.passed() ? 1 : memory == MemoryTrend.State.GROWING ? 2
                    : memory == MemoryTrend.State.INCONCLUSIVE ? 3 : 0;
            out.printf("rule: first %.1f min dropped as warm-up (max(2 min, 20%% of the run)); Theil-Sen slope "
                    + "(median of pairwise slopes) of live heap and RSS over the rest; growing when slope > min(5, "
                    + "max(0.1, 0.1%% of the series' mean)) MiB/min%n", warmup);
            trends.forEach(t -> out.println(t.line()));
            out.println(nativeTrend.line().replace(" GROWING", "").replace(" flat", "") + " (diagnostic, not judged)");
            out.println("memory: " + memory + growingSeries(trends));
            out.println("verifier: " + eos);
            out.println("soak: " + (exit == 0 ? "PASSED" : exit == 3 ? "NOT JUDGED (run too short)" : "FAILED")
                    + " (exit " + exit + ")");
            write(reportFile, verdictJson(warmup, trends, memory, eos, exit));
            return exit;
        }
    }

    /** The judged series: live heap and RSS. */
    static List<MemoryTrend> trends(List<SoakSample> samples, double warmup) {
        double[] minutes = samples.stream().mapToDouble(SoakSample::minute).toArray();
        return List.of(trend("heap_live", samples, minutes, SoakSample::liveHeapMib, warmup),
                trend("rss", samples, minutes, SoakSample::rssMib, warmup));
    }

    private static MemoryTrend trend(String name, List<SoakSample> samples, double[] minutes,
                                     ToLongFunction<SoakSample> series, double warmup) {
        return MemoryTrend.of(name, minutes, samples.stream().mapToDouble(series::applyAsLong).toArray(), warmup);
    }

    private static String growingSeries(List<MemoryTrend> trends) {
        List<String> growing = trends.stream().filter(MemoryTrend::growing).map(MemoryTrend::series).toList();
        return growing.isEmpty() ? "" : ": " + String.join(", ", growing);
    }

    private static String verdictJson(double warmup, List<MemoryTrend> trends, MemoryTrend.State memory,
                                      EosVerdict eos, int exit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "verdict");
        m.put("warmup_minutes", JsonLine.rounded(warmup, 2));
        for (MemoryTrend t : trends) {
            m.put(t.series() + "_slope_mib_per_min", JsonLine.rounded(t.slopeMibPerMin(), 4));
            m.put(t.series() + "_limit_mib_per_min", JsonLine.rounded(t.limitMibPerMin(), 4));
        }
        m.put("memory", memory.name());
        m.put("eos", eos.toString());
        m.put("eos_passed", eos.passed());
        m.put("exit", exit);
        return JsonLine.of(m);
    }

    private static void write(BufferedWriter file, String line) {
        if (file == null) {
            return;
        }
        try {
            file.write(line);
            file.newLine();
            file.flush(); // a long run is read while it runs
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
