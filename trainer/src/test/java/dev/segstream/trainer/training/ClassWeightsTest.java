package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.data.CamVidData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code class.weights} setting: none, median-frequency and its softer square root. */
class ClassWeightsTest {

    @Test
    void shouldSoftenRareClassWeightsWhenSqrtMedianFrequencyIsChosen() {
        Path data = SharedCamVid.camvid128x96OrSkip();
        CamVidData train = CamVidData.read(data, "train", 32);
        float[] full = ClassWeights.MEDIAN_FREQUENCY.of(train, CamVidClasses.COUNT);
        float[] soft = ClassWeights.SQRT_MEDIAN_FREQUENCY.of(train, CamVidClasses.COUNT);
        assertThat(ClassWeights.NONE.of(train, CamVidClasses.COUNT)).isNull();
        int pole = 2;
        int road = 3;
        assertThat(full[pole]).as("Pole is rare: weighted up").isGreaterThan(4f);
        assertThat(full[road]).as("Road is common: weighted down").isLessThan(1f);
        for (int c = 0; c < full.length; c++) {
            assertThat(soft[c]).isCloseTo((float) Math.sqrt(full[c]), within(1e-6f));
        }
        assertThat(soft[pole]).isLessThan(full[pole]).isGreaterThan(1f);
        assertThat(soft[road]).isGreaterThan(full[road]).isLessThan(1f);
        assertThatThrownBy(() -> ClassWeights.parse("inverse")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inverse").hasMessageContaining(ClassWeights.validNames());
    }
}
