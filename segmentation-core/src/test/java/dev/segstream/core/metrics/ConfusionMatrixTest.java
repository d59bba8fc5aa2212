package dev.segstream.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /*
     * 4 classes, ignore 11. truth / prediction:
     *   t: 0 0 0 1 1 2 11 11
     *   p: 0 0 1 1 2 2  3  0
     * matrix (rows truth): [2 1 0 0] [0 1 1 0] [0 0 1 0] [0 0 0 0]; voids skipped.
     * IoU0 = 2/(2+0+1) = 2/3, IoU1 = 1/(1+1+1) = 1/3, IoU2 = 1/(1+1+0) = 1/2, class 3 absent -> NaN.
     * mIoU = (2/3 + 1/3 + 1/2) / 3 = 0.5; pixel accuracy = 4/6.
     */
    @Test
    void shouldComputeIouAndAccuracyWhenClassesAreMissingAndVoidIsPresent() {
        ConfusionMatrix cm = new ConfusionMatrix(4, 11);
        cm.add(b(0, 0, 0, 1, 1, 2, 11, 11), b(0, 0, 1, 1, 2, 2, 3, 0));
        assertThat(cm.count(0, 0)).isEqualTo(2);
        assertThat(cm.count(0, 1)).isEqualTo(1);
        assertThat(cm.count(1, 2)).isEqualTo(1);
        assertThat(cm.count(3, 0)).isZero();
        assertThat(cm.total()).isEqualTo(6);
        double[] iou = cm.perClassIou();
        assertThat(iou[0]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(iou[1]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(iou[2]).isCloseTo(0.5, within(1e-12));
        assertThat(iou[3]).isNaN();
        assertThat(cm.meanIou()).isCloseTo(0.5, within(1e-12));
        assertThat(cm.pixelAccuracy()).isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void shouldCountClassOnlyPredictedAsZeroIouWhenItIsNeverTrue() {
        ConfusionMatrix cm = new ConfusionMatrix(3, 11);
        cm.add(b(0, 0, 1, 1), b(0, 2, 1, 1));
        // class 2 never true, predicted once: IoU 0/(0+1+0) = 0, included in the mean
        assertThat(cm.perClassIou()[2]).isZero();
        assertThat(cm.meanIou()).isCloseTo((0.5 + 1.0 + 0.0) / 3, within(1e-12));
    }

    @Test
    void shouldAddUpCountsWhenMerging() {
        ConfusionMatrix a = new ConfusionMatrix(2, 255);
        ConfusionMatrix c = new ConfusionMatrix(2, 255);
        a.add(0, 0, 5);
        a.add(1, 0);
        c.add(1, 1, 3);
        c.add(255, 0, 100);
        a.merge(c);
        assertThat(a.total()).isEqualTo(9);
        assertThat(a.count(1, 1)).isEqualTo(3);
        // IoU0 = 5/(5+1+0), IoU1 = 3/(3+0+1)
        assertThat(a.meanIou()).isCloseTo((5.0 / 6 + 3.0 / 4) / 2, within(1e-12));
        assertThat(a.pixelAccuracy()).isCloseTo(8.0 / 9, within(1e-12));
        assertThatThrownBy(() -> a.merge(new ConfusionMatrix(3, 255))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReportNanWhenNothingWasCounted() {
        ConfusionMatrix cm = new ConfusionMatrix(3, 11);
        cm.add(b(11, 11), b(0, 1));
        assertThat(cm.total()).isZero();
        assertThat(cm.meanIou()).isNaN();
        assertThat(cm.pixelAccuracy()).isNaN();
        assertThat(cm.perClassIou()).containsOnly(Double.NaN);
    }

    @Test
    void shouldRejectLabelsWhenOutOfRange() {
        ConfusionMatrix cm = new ConfusionMatrix(3, 11);
        assertThatThrownBy(() -> cm.add(b(0, 5), b(0, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth 5");
        assertThatThrownBy(() -> cm.add(b(0), b(0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cm.add(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
