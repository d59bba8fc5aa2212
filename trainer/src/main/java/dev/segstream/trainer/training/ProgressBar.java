package dev.segstream.trainer.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for a terminal, redrawn in place with {@code \r}:
 * {@code epoch 3 [=======>            ] 27/46 loss 0.8123 31.2 img/s eta 0:12}. Redraws at most
 * every {@value #REDRAW_MILLIS} ms (and always on an epoch's last step).
 */
final class ProgressBar {

    /** Characters between the brackets. */
    static final int WIDTH = 20;
    static final long REDRAW_MILLIS = 200;

    private final PrintStream out;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on {@code System.out} when it is a terminal, else {@code null} (periodic log lines instead). */
    static ProgressBar forConsole(PrintStream log) {
        return System.console() != null && log == System.out ? new ProgressBar(log) : null;
    }

    /** Redraws the line unless it was drawn less than {@value #REDRAW_MILLIS} ms ago. */
    void update(int epoch, int step, int steps, double loss, double imagesPerSecond, double etaSeconds) {
        long now = System.nanoTime();
        if (step < steps && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_MILLIS * 1_000_000) {
            return;
        }
        lastDraw = now;
        String line = render(epoch, step, steps, loss, imagesPerSecond, etaSeconds);
        StringBuilder sb = new StringBuilder().append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        lastLength = line.length();
        out.print(sb);
        out.flush();
    }

    /** Erases the line so the next output starts on a clean one. */
    void clear() {
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
        lastDraw = Long.MIN_VALUE;
    }

    /** The line for step {@code step} (1-based, done) of {@code steps}. */
    static String render(int epoch, int step, int steps, double loss, double imagesPerSecond, double etaSeconds) {
        int filled = steps <= 0 ? WIDTH : (int) ((long) step * WIDTH / steps);
        StringBuilder bar = new StringBuilder(WIDTH);
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled - 1 || (i == filled - 1 && step >= steps) ? '=' : i == filled - 1 ? '>' : ' ');
        }
        return String.format(Locale.ROOT, "epoch %d [%s] %d/%d loss %.4f %.1f img/s eta %s", epoch, bar, step, steps,
                loss, imagesPerSecond, duration(etaSeconds));
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour; {@code ?} when unknown. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
