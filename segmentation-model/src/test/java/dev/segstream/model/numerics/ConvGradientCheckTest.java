package dev.segstream.model.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetBase;
import dev.segstream.model.UNetFactory;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvGradientCheckTest {

    @ParameterizedTest
    @CsvSource({"3:8:3:1:1, contiguous", "8:8:3:1:1, contiguous", "8:4:3:1:1, contiguous", "4:12:3:2:1, contiguous",
        "8:11:1:1:0, contiguous", "16:24:3:1:1, contiguous", "16:16:3:1:1, contiguous",
        "16:16:3:1:1, channels-last", "32:16:3:1:1, channels-last", "16:32:3:2:1, channels-last",
        "16:11:1:1:0, channels-last", "32:64:1:2:0, channels-last", "256:256:3:1:1, channels-last"})
    void shouldAgreeWithReferenceWhenEngineComputesConvBackward(String shape, String format) {
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            ConvGradientCheck.Result r = ConvGradientCheck.check(m, ConvShape.parse(shape), MemoryFormat.parse(format),
                    1);
            assertThat(r.correct()).as("%s", r).isTrue();
            assertThat(r.scale()).isGreaterThan(1);
        }
    }

    @Test
    void shouldReportWrongGradientWhenKernelUsesFiveOfNineTaps() {
        // what the broken AVX-512 kernel did: some taps of the 3x3 window never contribute
        ConvShape s = ConvShape.parse("8:8:3:1:1");
        Random rng = new Random(3);
        float[] w = new float[8 * 8 * 9];
        float[] g = new float[ConvGradientCheck.BATCH * 8 * ConvGradientCheck.HEIGHT * ConvGradientCheck.WIDTH];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian() * 0.2f;
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian();
        }
        float[] fiveTaps = w.clone();
        for (int i = 0; i < w.length; i++) {
            int tap = i % 9;
            if (tap == 0 || tap == 2 || tap == 6 || tap == 8) {
                fiveTaps[i] = 0;
            }
        }
        double[] wrong = ConvGradientCheck.referenceInputGradient(s, g, fiveTaps);
        float[] asEngine = new float[wrong.length];
        for (int i = 0; i < wrong.length; i++) {
            asEngine[i] = (float) wrong[i];
        }
        MemoryFormat f = MemoryFormat.CONTIGUOUS;
        ConvGradientCheck.Result r = ConvGradientCheck.compare(s, f, asEngine,
                ConvGradientCheck.referenceInputGradient(s, g, w));
        assertThat(r.correct()).isFalse();
        assertThat(r.maxError()).isGreaterThan(0.1);

        asEngine = new float[wrong.length];
        ConvGradientCheck.Result same = ConvGradientCheck.compare(s, f, asEngine, new double[wrong.length]);
        assertThat(same.correct()).isTrue();
        asEngine[5] = Float.NaN;
        assertThat(ConvGradientCheck.compare(s, f, asEngine, new double[wrong.length]).correct()).isFalse();
    }

    @Test
    void shouldListEveryDistinctConvWhenReadingAnInitialisedUNet() {
        UNetSpec spec = new UNetSpec(UNetVariant.RESIDUAL, 2, 4, 11);
        Set<ConvShape> shapes = ConvSelfTest.shapesOf(List.of(spec));
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            assertThat(ConvShape.of(model.getBlock())).isEqualTo(shapes);
        }
        assertThat(shapes).contains(ConvShape.parse("3:4:3:1:1"), ConvShape.parse("4:8:3:2:1"),
                ConvShape.parse("4:11:1:1:0"));
        assertThat(shapes).allSatisfy(s -> assertThat(ConvShape.parse(s.toString())).isEqualTo(s));
        UNetBase block = UNetFactory.create(spec);
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 4));
            assertThat(ConvShape.of(block)).isEqualTo(shapes);
        }
    }
}
