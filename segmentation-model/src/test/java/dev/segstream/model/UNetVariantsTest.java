package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class UNetVariantsTest {

    private static Shape forwardShape(UNetSpec spec, Shape input) {
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu());
             NDManager m = model.getNDManager().newSubManager()) {
            GradMode.disable();
            NDArray x = m.randomNormal(input);
            NDList out = model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false);
            assertThat(model.getBlock().getOutputShapes(new Shape[] {input})[0]).isEqualTo(out.head().getShape());
            return out.head().getShape();
        }
    }

    @ParameterizedTest
    @EnumSource(UNetVariant.class)
    void shouldProduceClassLogitsAtInputSizeWhenAnyVariantRuns128x96(UNetVariant variant) {
        Shape out = forwardShape(new UNetSpec(variant, 4, 4, 11), new Shape(2, 3, 96, 128));
        assertThat(out).isEqualTo(new Shape(2, 11, 96, 128));
    }

    @ParameterizedTest
    @CsvSource({"vanilla,1,8", "residual,2,4", "attention,3,6", "noskip,5,4", "vanilla,6,2"})
    void shouldFollowDepthAndFiltersWhenTheyVary(String variant, int depth, int filters) {
        int m = 1 << depth;
        Shape out = forwardShape(new UNetSpec(UNetVariant.parse(variant), depth, filters, 5), new Shape(1, 3, 2 * m, 3 * m));
        assertThat(out).isEqualTo(new Shape(1, 5, 2 * m, 3 * m));
    }

    @Test
    void shouldRejectInputWhenSidesAreNotMultiplesOfTwoToTheDepth() {
        assertThatThrownBy(() -> forwardShape(new UNetSpec(UNetVariant.VANILLA, 3, 4, 3), new Shape(1, 3, 20, 16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiples of 8");
    }

    @ParameterizedTest
    @EnumSource(UNetVariant.class)
    void shouldBuildTheSpecifiedVariantWhenTheFactoryIsGivenASpec(UNetVariant variant) {
        UNetSpec spec = new UNetSpec(variant, 2, 4, 3);
        UNetBase block = UNetFactory.create(spec);
        assertThat(block.spec()).isEqualTo(spec);
        assertThat(block).isInstanceOf(switch (variant) {
            case VANILLA -> VanillaUNet.class;
            case NOSKIP -> NoSkipUNet.class;
            case RESIDUAL -> ResidualUNet.class;
            case ATTENTION -> AttentionUNet.class;
        });
    }

    @Test
    void shouldFailClearlyWhenSpecSettingsAreInvalid() {
        assertThatThrownBy(() -> new UNetSpec(null, 4, 16, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variant is required");
        assertThatThrownBy(() -> new UNetSpec(UNetVariant.RESIDUAL, 0, 16, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth");
        assertThatThrownBy(() -> new UNetSpec(UNetVariant.ATTENTION, 4, 0, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters");
        assertThatThrownBy(() -> new UNetSpec(UNetVariant.NOSKIP, 4, 16, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classes");
        assertThatThrownBy(() -> new UNetSpec(UNetVariant.VANILLA, 7, 16, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth");
    }

    @Test
    void shouldParseVariantNamesWhenCaseDiffers() {
        assertThat(UNetVariant.parse("Attention")).isEqualTo(UNetVariant.ATTENTION);
        assertThat(UNetVariant.parse(" NOSKIP ")).isEqualTo(UNetVariant.NOSKIP);
        assertThat(UNetVariant.RESIDUAL.id()).isEqualTo("residual");
        assertThatThrownBy(() -> UNetVariant.parse("segnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segnet").hasMessageContaining("vanilla, noskip, residual, attention");
    }

    @Test
    void shouldUpsampleByNearestNeighbourWhenDoublingSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(6f).reshape(1, 1, 2, 3);
            NDArray up = UNetBlocks.upsample2x(x);
            assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 6));
            assertThat(up.toFloatArray()).containsExactly(x.repeat(2, 2).repeat(3, 2).toFloatArray());
        }
    }

    @Test
    void shouldExposeAttentionMapsInUnitRangeWhenGateRuns() {
        UNetSpec spec = new UNetSpec(UNetVariant.ATTENTION, 3, 4, 11);
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu());
             NDManager m = model.getNDManager().newSubManager()) {
            GradMode.disable();
            AttentionUNet net = (AttentionUNet) model.getBlock();
            List<NDArray> maps = net.attentionMaps(m.randomNormal(new Shape(2, 3, 32, 48)));
            assertThat(maps).hasSize(3);
            for (int level = 0; level < 3; level++) {
                NDArray a = maps.get(level);
                assertThat(a.getShape()).isEqualTo(new Shape(2, 1, 32 >> level, 48 >> level));
                assertThat(a.min().getFloat()).isGreaterThanOrEqualTo(0f);
                assertThat(a.max().getFloat()).isLessThanOrEqualTo(1f);
            }
        }
    }

    @Test
    void shouldUseProjectionShortcutWhenChannelsOrStrideChange() {
        assertThat(UNetBlocks.residualUnit(8).hasProjection()).isFalse();
        assertThat(UNetBlocks.residualUnit(8, 8, 2).hasProjection()).isTrue();
        assertThat(UNetBlocks.residualUnit(4, 8, 1).hasProjection()).isTrue();
    }
}
