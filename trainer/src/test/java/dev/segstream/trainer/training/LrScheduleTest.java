package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.segstream.trainer.data.Augmentation;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    private static final float BASE = 3e-4f;

    @Test
    void shouldDecayFromBaseToFloorAlongACosineWhenScheduleIsCosine() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, BASE, 0);
        assertThat(s.at(0, 100)).isCloseTo(BASE, within(1e-9f));
        assertThat(s.at(0.5, 100)).isCloseTo((float) (BASE * (LrSchedule.COSINE_FLOOR + 1) / 2), within(1e-9f));
        assertThat(s.at(1, 100)).isCloseTo((float) (BASE * LrSchedule.COSINE_FLOOR), within(1e-10f));
        assertThat(s.at(1.7, 100)).isEqualTo(s.at(1, 100));
        assertThat(s.at(0.25, 100)).isGreaterThan(s.at(0.5, 100)).isLessThan(BASE);
    }

    @Test
    void shouldDropTenfoldAtHalfAndThreeQuartersWhenScheduleIsStep() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.STEP, BASE, 0);
        assertThat(s.at(0.49, 0)).isEqualTo(BASE);
        assertThat(s.at(0.5, 0)).isCloseTo(BASE / 10, within(1e-9f));
        assertThat(s.at(0.8, 0)).isCloseTo(BASE / 100, within(1e-10f));
    }

    @Test
    void shouldKeepTheBaseRateWhenScheduleIsNone() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.NONE, BASE, 0);
        assertThat(s.at(0, 0)).isEqualTo(BASE);
        assertThat(s.at(1, 10_000)).isEqualTo(BASE);
    }

    @Test
    void shouldRampLinearlyWhenWarmingUp() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.NONE, BASE, 10);
        assertThat(s.at(0, 0)).isCloseTo((float) (BASE * LrSchedule.WARMUP_START), within(1e-10f));
        assertThat(s.at(0, 5)).isCloseTo((float) (BASE * (LrSchedule.WARMUP_START + 1) / 2), within(1e-10f));
        assertThat(s.at(0, 10)).isEqualTo(BASE);
    }

    @Test
    void shouldMeasureProgressByTimeWhenThereIsABudgetAndByEpochsOtherwise() {
        long t0 = 1_000_000_000L;
        LrSchedule.Progress byTime = new LrSchedule.Progress(0, 600, 0, t0);
        assertThat(byTime.at(5, 0.5, t0 + 300_000_000_000L)).isCloseTo(0.5, within(1e-9));
        assertThat(byTime.at(5, 0.5, t0 + 900_000_000_000L)).isEqualTo(1.0);
        // a resumed run: 300 s before, 300 s left, 150 s into this process -> 450 of 600
        LrSchedule.Progress resumed = new LrSchedule.Progress(0, 300, 300, t0);
        assertThat(resumed.at(1, 0, t0 + 150_000_000_000L)).isCloseTo(0.75, within(1e-9));
        LrSchedule.Progress byEpochs = new LrSchedule.Progress(10, 0, 0, t0);
        assertThat(byEpochs.at(1, 0, t0)).isZero();
        assertThat(byEpochs.at(6, 0.5, t0)).isCloseTo(0.55, within(1e-9));
        assertThat(byEpochs.at(10, 1, t0)).isEqualTo(1.0);
    }

    private static Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put(TrainerConfig.VARIANT, "residual");
        m.put(TrainerConfig.DATA, "d");
        m.put(TrainerConfig.OUT, "o");
        m.put(TrainerConfig.MAX_MINUTES, 20.0);
        return m;
    }

    @Test
    void shouldDefaultToTheMeasuredWinnersWhenNotGiven() {
        TrainOptions o = new TrainerConfig(settings()).options();
        assertThat(o.schedule()).isEqualTo(new LrSchedule(LrSchedule.Kind.COSINE, 3e-3f, 50));
        assertThat(o.augment()).isEqualTo(TrainerConfig.DEFAULT_AUGMENT);
        assertThat(o.weightDecay()).isZero();
        assertThat(o.classWeights()).isEqualTo(ClassWeights.NONE);
        assertThat(o.batchSize()).isEqualTo(8);
    }

    @Test
    void shouldParseScheduleAugmentationAndWeightDecayWhenGiven() {
        Map<String, Object> m = settings();
        m.put(TrainerConfig.LR_SCHEDULE, "cosine");
        m.put(TrainerConfig.AUGMENT, "full");
        m.put(TrainerConfig.WEIGHT_DECAY, 0.01);
        m.put(TrainerConfig.WARMUP_STEPS, 46);
        m.put(TrainerConfig.LR, 3e-4);
        TrainOptions o = new TrainerConfig(m).options();
        assertThat(o.lrSchedule()).isEqualTo(LrSchedule.Kind.COSINE);
        assertThat(o.augment()).isEqualTo(Augmentation.Mode.FULL);
        assertThat(o.weightDecay()).isEqualTo(0.01f);
        assertThat(o.schedule()).isEqualTo(new LrSchedule(LrSchedule.Kind.COSINE, 3e-4f, 46));
        assertThat(o.withMaxMinutes(3).augment()).isEqualTo(Augmentation.Mode.FULL);
    }

    @Test
    void shouldRejectUnknownValuesWhenValidating() {
        for (String[] bad : new String[][] {{TrainerConfig.LR_SCHEDULE, "linear"}, {TrainerConfig.AUGMENT, "mixup"},
                {TrainerConfig.WEIGHT_DECAY, "-0.1"}, {TrainerConfig.WARMUP_STEPS, "-1"}}) {
            Map<String, Object> m = settings();
            m.put(bad[0], bad[1]);
            assertThatThrownBy(() -> new TrainerConfig(m)).as(bad[0]).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(bad[0].equals(TrainerConfig.LR_SCHEDULE) ? "cosine" : bad[0]);
        }
    }

    @Test
    void shouldDrawABarWithStepLossRateAndEtaWhenRendering() {
        assertThat(ProgressBar.render(3, 27, 46, 0.81234, 31.24, 12.4))
                .isEqualTo("epoch 3 [==========>         ] 27/46 loss 0.8123 31.2 img/s eta 0:12");
        assertThat(ProgressBar.render(1, 46, 46, 1, 1, 0)).contains("[====================] 46/46");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
        assertThat(ProgressBar.duration(Double.NaN)).isEqualTo("?");
    }
}
