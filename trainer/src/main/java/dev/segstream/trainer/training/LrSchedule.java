package dev.segstream.trainer.training;

import dev.segstream.core.config.SettingValue;
import java.util.Locale;

/**
 * The learning rate over a run, as a function of the run's progress from 0 (start) to 1 (end of
 * the budget), with an optional linear warm-up over the first steps of a process.
 *
 * <ul>
 *   <li>{@code none}: the base rate throughout.</li>
 *   <li>{@code cosine}: from the base rate down to {@value #COSINE_FLOOR} of it along half a
 *       cosine, reaching the floor at the end of the run.</li>
 *   <li>{@code step}: the base rate, times {@value #STEP_FACTOR} from half way and again from
 *       three quarters of the run.</li>
 * </ul>
 *
 * <p>Progress is the elapsed fraction of the wall-clock budget when there is one ({@code
 * --max-minutes}), so a time-bounded run decays to the floor by the end of its budget whatever
 * its speed; else the fraction of {@code --epochs} done. With both, whichever is further along.
 *
 * @param kind        the shape
 * @param base        the base (peak) learning rate
 * @param warmupSteps steps of linear warm-up from {@value #WARMUP_START} of the rate (0 = none)
 */
public record LrSchedule(Kind kind, float base, int warmupSteps) {

    /** The cosine schedule's last value, relative to the base rate. */
    public static final double COSINE_FLOOR = 0.01;
    /** The factor of each of the step schedule's drops. */
    public static final double STEP_FACTOR = 0.1;
    /** The warm-up's first value, relative to the scheduled rate. */
    public static final double WARMUP_START = 0.1;

    /** Schedule shapes. */
    public enum Kind implements SettingValue {
        NONE, COSINE, STEP;

        /** Command-line name. */
        @Override
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a command-line name, ignoring case. */
        public static Kind parse(String s) {
            return SettingValue.parse(Kind.class, TrainerConfig.LR_SCHEDULE, s);
        }

        /** Valid names, comma-separated. */
        public static String names() {
            return SettingValue.validNames(Kind.class);
        }
    }

    public LrSchedule {
        if (!(base > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + base);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must not be negative, got " + warmupSteps);
        }
    }

    /**
     * The rate at run progress {@code progress} (clamped to [0, 1]) and step {@code step} of this
     * process (0-based; warm-up restarts in a resumed process, as Adam's moments do).
     */
    public float at(double progress, long step) {
        double p = Math.min(1, Math.max(0, progress));
        double f = switch (kind) {
            case NONE -> 1;
            case COSINE -> COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p));
            case STEP -> p < 0.5 ? 1 : p < 0.75 ? STEP_FACTOR : STEP_FACTOR * STEP_FACTOR;
        };
        if (step < warmupSteps) {
            f *= WARMUP_START + (1 - WARMUP_START) * step / warmupSteps;
        }
        return (float) (base * f);
    }

    /**
     * Where a run stands: the fraction of its time budget or of its epochs that is done.
     *
     * @param epochs        epochs of the run in total (0 = no epoch limit)
     * @param budgetSeconds wall-clock budget of this process in seconds (0 = none)
     * @param elapsedBefore seconds spent by earlier processes of a resumed run
     * @param startNanos    {@link System#nanoTime()} when this process's budget began
     */
    public record Progress(int epochs, double budgetSeconds, double elapsedBefore, long startNanos) {

        /**
         * Progress in [0, 1] during epoch {@code epoch} (1-based), {@code epochFraction} of it
         * done, at time {@code nowNanos}.
         */
        public double at(int epoch, double epochFraction, long nowNanos) {
            double p = 0;
            if (budgetSeconds > 0) {
                double elapsed = elapsedBefore + (nowNanos - startNanos) / 1e9;
                p = elapsed / (elapsedBefore + budgetSeconds);
            }
            if (epochs > 0) {
                p = Math.max(p, (epoch - 1 + epochFraction) / epochs);
            }
            return Math.min(1, Math.max(0, p));
        }
    }
}
