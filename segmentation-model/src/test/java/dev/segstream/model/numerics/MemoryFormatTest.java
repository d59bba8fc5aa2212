package dev.segstream.model.numerics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryFormatTest {

    private static Set<ConvShape> shapes(UNetVariant variant, int filters) {
        return ConvSelfTest.shapesOf(Set.of(new UNetSpec(variant, 4, filters, 11)));
    }

    @ParameterizedTest
    @CsvSource({"VANILLA, 16, channels-last", "NOSKIP, 16, channels-last", "RESIDUAL, 16, channels-last",
        "RESIDUAL, 32, channels-last", "ATTENTION, 16, contiguous", "RESIDUAL, 8, contiguous",
        "VANILLA, 24, contiguous"})
    void shouldGoChannelsLastOnACpuOnlyWhenEveryConvIsSafe(UNetVariant variant, int filters, String expected) {
        assertThat(MemoryFormat.AUTO.resolve(Device.cpu(), shapes(variant, filters)).id()).isEqualTo(expected);
        assertThat(MemoryFormat.CONTIGUOUS.resolve(Device.cpu(), shapes(variant, filters)))
                .isEqualTo(MemoryFormat.CONTIGUOUS);
        // a GPU runs cuDNN, not oneDNN: auto leaves the batch as made, an explicit choice is kept
        assertThat(MemoryFormat.AUTO.resolve(Device.gpu(), shapes(variant, filters)))
                .isEqualTo(MemoryFormat.CONTIGUOUS);
        assertThat(MemoryFormat.CHANNELS_LAST.resolve(Device.gpu(), shapes(variant, filters)))
                .isEqualTo(MemoryFormat.CHANNELS_LAST);
    }

    @Test
    void shouldRefuseChannelsLastWhenANetHasAConvThatCorruptedMemory() {
        // the stride-2 1x1 shortcut from 8 channels of a residual net with 8 filters
        assertThat(shapes(UNetVariant.RESIDUAL, 8)).contains(ConvShape.parse("8:16:1:2:0"));
        assertThat(MemoryFormat.channelsLastSafe(ConvShape.parse("8:16:1:2:0"))).isFalse();
        assertThatThrownBy(() -> MemoryFormat.CHANNELS_LAST.resolve(Device.cpu(), shapes(UNetVariant.RESIDUAL, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory.format=channels-last")
                .hasMessageContaining("use auto or contiguous");
        assertThat(MemoryFormat.channelsLastSafe(ConvShape.parse("16:11:1:1:0"))).isTrue();
        assertThat(MemoryFormat.channelsLastSafe(ConvShape.parse("16:11:3:1:1"))).isFalse();
    }

    @Test
    void shouldKeepShapeAndValuesWhenMadeChannelsLast() {
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            float[] v = new float[2 * 3 * 4 * 5];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            NDArray x = m.create(v, new Shape(2, 3, 4, 5));
            NDArray last = MemoryFormat.CHANNELS_LAST.apply(x);
            assertThat(last.getShape()).isEqualTo(x.getShape());
            assertThat(last.toFloatArray()).containsExactly(v);
            assertThat(MemoryFormat.CONTIGUOUS.apply(x)).isSameAs(x);
            // DJL shows no strides; that oneDNN then sees NHWC is StepRunnerLayoutTest's job
        }
    }

    @Test
    void shouldNameTheValidValuesWhenParsingFails() {
        assertThat(MemoryFormat.parse(" Channels-Last ")).isEqualTo(MemoryFormat.CHANNELS_LAST);
        assertThatThrownBy(() -> MemoryFormat.parse("nhwc")).hasMessageContaining("auto, channels-last, contiguous");
    }
}
