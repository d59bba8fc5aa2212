package dev.segstream.model.numerics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.nativelib.NativeSwitches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure training in this JVM computes right convolution gradients, at the least cost.
 *
 * <p>libtorch 2.7.1's oneDNN computes wrong conv input gradients on some AVX-512 hosts (see the
 * trainer README). oneDNN fixes its instruction set when libtorch first runs, so in mode
 * {@link NumericsMode#AUTO}, before the engine loads, the self-test ({@link ConvSelfTest}) runs in a
 * child JVM for the conv shapes of the models about to be trained: first with the inherited
 * environment, then, if that is wrong, with {@code DNNL_MAX_CPU_ISA=AVX2}. The first correct
 * setting is applied to this process (through libc {@code setenv}, before libtorch loads) and
 * verified again in-process; if no ISA is right, oneDNN is turned off. When the engine has
 * already loaded, only the in-process test and the oneDNN switch remain. The choice is logged
 * once and kept for the JVM; later calls only check shapes not yet checked.
 */
public final class TrainingNumerics {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingNumerics.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ISA_VARIABLES = List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA");
    /** The environment that caps oneDNN at AVX2 (both names oneDNN 3 reads). */
    static final Map<String, String> AVX2_ENV = Map.of("DNNL_MAX_CPU_ISA", "AVX2", "ONEDNN_MAX_CPU_ISA", "AVX2");
    private static final long CHILD_TIMEOUT_S = 180;

    /** The settings training can run under; {@link #id()} is the metric label. */
    public enum Setting {
        /** oneDNN with the instruction set it picks itself (or the one the environment already caps it at). */
        DEFAULT("default"),
        /** oneDNN capped at AVX2. */
        AVX2("avx2"),
        /** oneDNN off for PyTorch ops. */
        NO_ONEDNN("no-onednn"),
        /** Not checked ({@code numerics=default}). */
        UNCHECKED("unchecked");

        private final String id;

        Setting(String id) {
            this.id = id;
        }

        /** Label value. */
        public String id() {
            return id;
        }
    }

    /**
     * What this JVM trains with.
     *
     * @param mode    the requested mode
     * @param setting the setting in force
     * @param detail  what was measured to get there, one line
     */
    public record Choice(NumericsMode mode, Setting setting, String detail) {
    }

    /** What a child probe returned: a report, or why there is none. */
    record ChildResult(ConvSelfTest.Report report, String error) {

        boolean correct() {
            return report != null && report.correct();
        }

        String describe() {
            return report != null ? report.summary() : "self-test could not run (" + error + ")";
        }
    }

    /** Runs the self-test in a child JVM with extra environment variables. */
    interface ChildProbe {
        ChildResult run(Map<String, String> env, Collection<UNetSpec> specs, MemoryFormat format);
    }

    private static Choice current;
    /** The specs checked so far, and whether their channels-last convs were checked too. */
    private static final Map<UNetSpec, Boolean> checked = new HashMap<>();

    private TrainingNumerics() {
    }

    /** The choice in force, if {@link #ensure} ran in this JVM. */
    public static synchronized Optional<Choice> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Applies {@code mode} for training the given models in either memory layout; call before
     * anything loads the PyTorch engine (and before seeding it) so the cheapest fix is still available.
     *
     * @throws IllegalStateException when no setting gives right gradients, or {@code avx2} is asked
     *                               for after the engine loaded
     */
    public static synchronized Choice ensure(NumericsMode mode, Collection<UNetSpec> specs) {
        return ensure(mode, specs, MemoryFormat.AUTO);
    }

    /**
     * As {@link #ensure(NumericsMode, Collection)} for training in {@code format}: with
     * {@link MemoryFormat#CONTIGUOUS} the channels-last kernels are not checked, so a host whose
     * channels-last gradients are wrong can still train contiguous at oneDNN's own ISA.
     */
    public static synchronized Choice ensure(NumericsMode mode, Collection<UNetSpec> specs, MemoryFormat format) {
        return ensure(mode, specs, format, TrainingNumerics::probeInChild);
    }

    static synchronized Choice ensure(NumericsMode mode, Collection<UNetSpec> specs, MemoryFormat format,
                                      ChildProbe child) {
        boolean channelsLast = format != MemoryFormat.CONTIGUOUS;
        Set<UNetSpec> todo = new HashSet<>();
        for (UNetSpec spec : specs) {
            Boolean done = checked.get(spec);
            if (done == null || (channelsLast && !done)) {
                todo.add(spec);
            }
        }
        if (current != null && (todo.isEmpty() || current.setting() == Setting.UNCHECKED)) {
            return current;
        }
        long t0 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Setting setting;
        if (current != null) {
            setting = current.setting();
        } else if (mode == NumericsMode.DEFAULT) {
            return announce(new Choice(mode, Setting.UNCHECKED, "oneDNN as libtorch picks it, not self-tested"));
        } else if (NativeSwitches.libtorchLoaded()) {
            if (mode == NumericsMode.AVX2 && !isaCappedAtAvx2()) {
                throw new IllegalStateException("numerics=avx2 must be applied before the PyTorch engine loads, "
                        + "and it has already loaded in this JVM; set DNNL_MAX_CPU_ISA=AVX2 in the environment");
            }
            setting = mode == NumericsMode.NO_ONEDNN || !NativeSwitches.oneDnnEnabled() ? Setting.NO_ONEDNN
                    : mode == NumericsMode.AVX2 ? Setting.AVX2 : Setting.DEFAULT;
            notes.add("engine already loaded");
        } else {
            setting = switch (mode) {
                case AVX2 -> Setting.AVX2;
                case NO_ONEDNN -> Setting.NO_ONEDNN;
                default -> decide(child, todo, format, notes);
            };
            if (setting == Setting.AVX2) {
                AVX2_ENV.forEach(NativeSwitches::setenv);
            }
        }
        PyTorch.engine();
        if (setting == Setting.NO_ONEDNN && NativeSwitches.oneDnnEnabled()) {
            NativeSwitches.setOneDnnEnabled(false);
        }
        Set<ConvShape> shapes = ConvSelfTest.shapesOf(todo);
        ConvSelfTest.Report report = ConvSelfTest.run(shapes, format);
        if (!report.correct() && setting != Setting.NO_ONEDNN && mode == NumericsMode.AUTO) {
            notes.add("in-process under " + describe(setting) + ": " + report.summary());
            NativeSwitches.setOneDnnEnabled(false);
            setting = Setting.NO_ONEDNN;
            report = ConvSelfTest.run(shapes, format);
        }
        if (!report.correct()) {
            throw new IllegalStateException("training numerics: " + report.summary() + " under " + describe(setting)
                    + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")
                    + "; this host's libtorch cannot train correctly, see the trainer README");
        }
        todo.forEach(spec -> checked.merge(spec, channelsLast, Boolean::logicalOr));
        notes.add(String.format(Locale.ROOT, "using %s: %s, self-test %.1f s", describe(setting), report.summary(),
                (System.nanoTime() - t0) / 1e9));
        Choice choice = new Choice(mode, setting, String.join("; ", notes));
        if (current != null && current.setting() == setting) {
            current = choice;
            return choice;
        }
        return announce(choice);
    }

    /**
     * The cheapest setting the child probes find correct: the inherited environment, else AVX2,
     * else oneDNN off. A probe that cannot run at all leaves the decision to the in-process check.
     */
    static Setting decide(ChildProbe child, Collection<UNetSpec> specs, MemoryFormat format, List<String> notes) {
        return decide(() -> child.run(Map.of(), specs, format), () -> child.run(AVX2_ENV, specs, format), notes);
    }

    static Setting decide(Supplier<ChildResult> inherited, Supplier<ChildResult> avx2, List<String> notes) {
        ChildResult first = inherited.get();
        if (first.correct()) {
            return Setting.DEFAULT;
        }
        if (first.report() == null) {
            notes.add(first.describe());
            return Setting.DEFAULT;
        }
        notes.add(describe(Setting.DEFAULT) + ": " + first.describe());
        ChildResult second = avx2.get();
        if (second.correct()) {
            return Setting.AVX2;
        }
        notes.add(describe(Setting.AVX2) + ": " + second.describe());
        return Setting.NO_ONEDNN;
    }

    private static Choice announce(Choice choice) {
        current = choice;
        LOG.info("numerics: {}", choice.detail());
        return choice;
    }

    private static String describe(Setting s) {
        return switch (s) {
            case DEFAULT -> inheritedIsa().map(v -> "oneDNN with " + v + " from the environment")
                    .orElse("oneDNN's default ISA");
            case AVX2 -> "DNNL_MAX_CPU_ISA=AVX2";
            case NO_ONEDNN -> "oneDNN off";
            case UNCHECKED -> "unchecked";
        };
    }

    private static Optional<String> inheritedIsa() {
        for (String name : ISA_VARIABLES) {
            String v = NativeSwitches.getenv(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(name + "=" + v);
            }
        }
        return Optional.empty();
    }

    private static boolean isaCappedAtAvx2() {
        return inheritedIsa().map(v -> v.toUpperCase(Locale.ROOT).endsWith("=AVX2")).orElse(false);
    }

    /** Runs {@link ConvProbeMain} in a child JVM on this JVM's class path. */
    static ChildResult probeInChild(Map<String, String> env, Collection<UNetSpec> specs, MemoryFormat format) {
        Path out = null;
        try {
            out = Files.createTempFile("segstream-numerics", ".json");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ai.djl.")).sorted()
                    .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
            cmd.add(ConvProbeMain.class.getName());
            cmd.add(format.id());
            specs.stream().map(ConvProbeMain::format).sorted().forEach(cmd::add);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new ChildResult(null, "timed out after " + CHILD_TIMEOUT_S + " s");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String json = lines.stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (p.exitValue() != 0 || json == null) {
                return new ChildResult(null, "child JVM exited " + p.exitValue());
            }
            return new ChildResult(JSON.readValue(json, ConvSelfTest.Report.class), null);
        } catch (IOException | RuntimeException e) {
            return new ChildResult(null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChildResult(null, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
