package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Oktay's grid attention gate: coefficients at the gating signal's coarse scale, resampled. */
class AttentionGateTest {

    private static final Shape X = new Shape(1, 4, 8, 12);
    private static final Shape G = new Shape(1, 5, 4, 6);

    private static float[] alpha(NDManager m, AttentionGate gate, NDArray x, NDArray g) {
        GradMode.disable();
        NDList out = gate.forward(new ParameterStore(m, false), new NDList(x, g), false);
        assertThat(out.get(0).getShape()).isEqualTo(x.getShape());
        assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, 1, 8, 12));
        return out.get(1).toFloatArray();
    }

    private static AttentionGate gate(NDManager m, AttentionGate.Resample r) {
        AttentionGate gate = new AttentionGate(4, 3, r);
        gate.initialize(m, DataType.FLOAT32, X, G);
        return gate;
    }

    /** Largest difference between alpha values inside one 2x2 block of the 8x12 map. */
    private static float spreadWithinBlocks(float[] a) {
        float worst = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                worst = Math.max(worst, Math.abs(a[y * 12 + x] - a[(y & ~1) * 12 + (x & ~1)]));
            }
        }
        return worst;
    }

    @Test
    void shouldHoldOneCoefficientPerTwoByTwoBlockWhenResamplingNearest() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionGate gate = gate(m, AttentionGate.Resample.NEAREST);
            float[] a = alpha(m, gate, m.randomNormal(X), m.randomNormal(G));
            assertThat(spreadWithinBlocks(a)).isZero();
            // not trivially constant: the coarse coefficients differ between blocks
            assertThat(IntStream.range(0, a.length).mapToObj(i -> a[i]).distinct().count()).isGreaterThan(4);
        }
    }

    @Test
    void shouldChangeOnlyTheMatchingBlockWhenOneGatingPixelChanges() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionGate gate = gate(m, AttentionGate.Resample.NEAREST);
            NDArray x = m.randomNormal(X);
            NDArray g = m.randomNormal(G);
            float[] before = alpha(m, gate, x, g);
            NDArray g2 = g.duplicate();
            g2.set(new NDIndex(":, :, 1, 2"), 5f);
            float[] after = alpha(m, gate, x, g2);
            for (int y = 0; y < 8; y++) {
                for (int xx = 0; xx < 12; xx++) {
                    boolean inBlock = y / 2 == 1 && xx / 2 == 2;
                    assertThat(after[y * 12 + xx] != before[y * 12 + xx]).as("alpha(%d,%d) changed", y, xx)
                            .isEqualTo(inBlock);
                }
            }
        }
    }

    @Test
    void shouldUpsampleTheCoarseCoefficientsBilinearlyByDefault() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionGate nearest = gate(m, AttentionGate.Resample.NEAREST);
            AttentionGate bilinear = gate(m, AttentionGate.Resample.BILINEAR);
            copyParameters(nearest, bilinear, m);
            NDArray x = m.randomNormal(X);
            NDArray g = m.randomNormal(G);
            float[] coarseTiled = alpha(m, nearest, x, g);
            float[] smooth = alpha(m, bilinear, x, g);
            NDArray coarse = m.create(coarseTiled, new Shape(1, 1, 8, 12)).get(new NDIndex(":, :, ::2, ::2"));
            NDArray expected = coarse.getNDArrayInternal().interpolation(new long[] {8, 12}, 1, false);
            float[] want = expected.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(smooth[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(spreadWithinBlocks(smooth)).isGreaterThan(0f);
        }
    }

    @Test
    void shouldRejectGatingSignalWhenNotAtHalfTheSkipSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionGate gate = gate(m, AttentionGate.Resample.BILINEAR);
            assertThatThrownBy(() -> gate.forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(X), m.randomNormal(new Shape(1, 5, 8, 12))), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half its size");
        }
    }

    @Test
    void shouldGiveMapsAtEachSkipResolutionWhenCoarseLevelsHaveOddSides() {
        // 40x24 at depth 3: the deepest gate works on 10x6 skips gated at 5x3
        UNetSpec spec = new UNetSpec(UNetVariant.ATTENTION, 3, 3, 5);
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu());
             NDManager m = model.getNDManager().newSubManager()) {
            GradMode.disable();
            List<NDArray> maps = ((AttentionUNet) model.getBlock()).attentionMaps(m.randomNormal(new Shape(1, 3, 24, 40)));
            for (int level = 0; level < 3; level++) {
                assertThat(maps.get(level).getShape()).isEqualTo(new Shape(1, 1, 24 >> level, 40 >> level));
            }
        }
    }

    private static void copyParameters(AttentionGate from, AttentionGate to, NDManager m) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            from.saveParameters(out);
        }
        to.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
