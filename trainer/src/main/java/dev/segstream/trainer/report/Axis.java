package dev.segstream.trainer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear plot axis over [lo, hi] with 1-2-5 tick steps (whole steps when asked, e.g. for epochs).
 */
record Axis(double lo, double hi, double step) {

    static Axis of(List<Double> v, boolean pad, boolean integerSteps) {
        double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (hi - lo < 1e-12) {
            double d = Math.max(Math.abs(lo) * 0.1, 0.5);
            lo -= d;
            hi += d;
        } else if (pad) {
            double d = (hi - lo) * 0.05;
            lo -= d;
            hi += d;
        }
        double step = niceStep((hi - lo) / 6);
        if (integerSteps) {
            step = Math.max(1, step);
        }
        return new Axis(lo, hi, step);
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    double scale(double v) {
        return (v - lo) / (hi - lo);
    }

    List<Double> ticks() {
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    String format(double t) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }
}
