package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.MemoryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training steps in either memory layout: the same losses, weights and step predictions, and the
 * channels-last layout really reaching oneDNN's convolutions (read from its own verbose output in
 * a fresh JVM, since verbosity is fixed when libtorch loads).
 */
class StepRunnerLayoutTest {

    private static final MaskedCrossEntropy CE = new MaskedCrossEntropy(CamVidClasses.VOID, null);

    /**
     * {@code steps} steps (3 by default) of a fresh seeded model on fixed batches; the parameters
     * and losses after them.
     */
    private static Map<String, float[]> train(UNetVariant variant, MemoryFormat format, List<Float> losses,
                                              ConfusionMatrix confusion) {
        return train(variant, format, losses, confusion, 3);
    }

    private static Map<String, float[]> train(UNetVariant variant, MemoryFormat format, List<Float> losses,
                                              ConfusionMatrix confusion, int steps) {
        PyTorch.seed(5);
        UNetSpec spec = new UNetSpec(variant, 2, 16, CamVidClasses.COUNT);
        try (Model model = ModelArtifacts.newModel(spec, Device.cpu());
             StepRunner runner = new StepRunner(model, CE, 1e-3f, 0f, 10, format, Device.cpu())) {
            Random rng = new Random(9);
            for (int s = 0; s < steps; s++) {
                try (NDManager m = runner.manager().newSubManager()) {
                    RandomBatch batch = RandomBatch.next(rng, m);
                    losses.add(runner.step(batch.x(), batch.y(), confusion).loss());
                }
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
            }
            return values;
        }
    }

    @ParameterizedTest
    @EnumSource(value = UNetVariant.class, names = {"VANILLA", "NOSKIP", "RESIDUAL"})
    void shouldTrainToTheSameWeightsWhenBatchesAreChannelsLast(UNetVariant variant) {
        List<Float> plainLosses = new ArrayList<>();
        List<Float> lastLosses = new ArrayList<>();
        ConfusionMatrix plainSeen = new ConfusionMatrix(CamVidClasses.COUNT, CamVidClasses.VOID);
        ConfusionMatrix lastSeen = new ConfusionMatrix(CamVidClasses.COUNT, CamVidClasses.VOID);
        Map<String, float[]> initial = train(variant, MemoryFormat.CONTIGUOUS, new ArrayList<>(), null, 0);
        Map<String, float[]> plain = train(variant, MemoryFormat.CONTIGUOUS, plainLosses, plainSeen);
        Map<String, float[]> last = train(variant, MemoryFormat.CHANNELS_LAST, lastLosses, lastSeen);

        for (int i = 0; i < plainLosses.size(); i++) {
            assertThat(lastLosses.get(i)).as("loss of step %d", i).isCloseTo(plainLosses.get(i), within(1e-4f));
        }
        assertThat(last.keySet()).isEqualTo(plain.keySet());
        // Adam turns float-rounding differences of near-zero gradients into whole-step updates of
        // either sign, so single weights may differ by up to 2 lr; the model as a whole may not
        double diff = 0;
        double norm = 0;
        for (Map.Entry<String, float[]> e : plain.entrySet()) {
            float[] a = e.getValue();
            float[] b = last.get(e.getKey());
            float[] start = initial.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
                norm += (a[i] - start[i]) * (double) (a[i] - start[i]);
            }
        }
        assertThat(norm).as("the steps moved the weights").isGreaterThan(0);
        assertThat(Math.sqrt(diff / norm)).as("relative difference of the two runs' weight updates").isLessThan(0.05);
        // the step's own predictions are scored from the same pixels in either layout
        assertThat(lastSeen.meanIou()).isCloseTo(plainSeen.meanIou(), within(0.02));
        assertThat(lastSeen.total()).isEqualTo(plainSeen.total());
    }

    @Test
    void shouldPickChannelsLastOnlyForNetsWhoseConvsAllowItWhenFormatIsAuto() {
        for (UNetVariant variant : UNetVariant.values()) {
            try (Model model = ModelArtifacts.newModel(new UNetSpec(variant, 2, 16, CamVidClasses.COUNT),
                    Device.cpu());
                 StepRunner runner = new StepRunner(model, CE, 1e-3f, Device.cpu())) {
                // the attention gates' 8-channel convs are not trusted channels-last
                assertThat(runner.memoryFormat()).as("%s", variant).isEqualTo(variant == UNetVariant.ATTENTION
                        ? MemoryFormat.CONTIGUOUS : MemoryFormat.CHANNELS_LAST);
            }
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float v) {
        return org.assertj.core.data.Offset.offset(v);
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }

    @Test
    void shouldConvolveChannelsLastWithoutActivationReordersWhenFormatIsChannelsLast() throws Exception {
        String plain = verboseSteps(MemoryFormat.CONTIGUOUS);
        String last = verboseSteps(MemoryFormat.CHANNELS_LAST);

        // oneDNN names NHWC "acdb": every 3x3 conv of a channels-last step reads and writes it
        assertThat(convolutions(last)).isNotEmpty().allMatch(l -> l.contains("src:f32::blocked:acdb"));
        assertThat(convolutions(plain)).isNotEmpty().noneMatch(l -> l.contains("src:f32::blocked:acdb"));
        assertThat(activationReorders(last)).isLessThan(activationReorders(plain) / 4);
    }

    private static List<String> convolutions(String verbose) {
        return verbose.lines().filter(l -> l.startsWith("onednn_verbose") && l.contains(",exec,")
                && l.contains("convolution") && l.contains("_training")).toList();
    }

    /** Reorders of activations between plain NCHW and oneDNN's blocked layout. */
    private static long activationReorders(String verbose) {
        return verbose.lines().filter(l -> l.startsWith("onednn_verbose") && l.contains(",exec,")
                && l.contains("reorder") && l.contains("blocked:aBcd")).count();
    }

    private static String verboseSteps(MemoryFormat format) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), LayoutStepsMain.class.getName(),
                format.id());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ONEDNN_VERBOSE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("steps done");
        return out;
    }
}
