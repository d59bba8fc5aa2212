package dev.segstream.trainer.study;

import dev.segstream.trainer.report.LinePlot;
import dev.segstream.trainer.training.EpochMetrics;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The study's curves: one PNG per metric, every variant's {@code metrics.csv} overlaid. */
public final class StudyPlots {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75),
    };

    private record Curve(String file, String title, String yLabel, ToDoubleFunction<EpochMetrics> value) {
    }

    private StudyPlots() {
    }

    /** A distinct colour for the {@code i}-th series. */
    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /**
     * Writes {@code train_loss.png}, {@code val_loss.png}, {@code val_miou.png} and, when {@code withTest},
     * {@code test_loss.png} and {@code test_miou.png} into {@code dir}.
     *
     * @param metrics per variant name (in table order), its epochs
     * @return the files written
     */
    static List<Path> write(Path dir, Map<String, List<EpochMetrics>> metrics, boolean withTest) {
        List<Curve> curves = new ArrayList<>(List.of(
                new Curve("train_loss.png", "Train loss", "loss", EpochMetrics::trainLoss),
                new Curve("val_loss.png", "Validation loss", "loss", EpochMetrics::valLoss),
                new Curve("val_miou.png", "Validation mIoU", "mIoU", EpochMetrics::valMiou)));
        if (withTest) {
            curves.add(new Curve("test_loss.png", "Test loss", "loss", EpochMetrics::testLoss));
            curves.add(new Curve("test_miou.png", "Test mIoU", "mIoU", EpochMetrics::testMiou));
        }
        List<Path> written = new ArrayList<>();
        for (Curve c : curves) {
            LinePlot plot = new LinePlot(c.title(), "epoch", c.yLabel());
            int i = 0;
            for (Map.Entry<String, List<EpochMetrics>> e : metrics.entrySet()) {
                List<EpochMetrics> rows = e.getValue();
                double[] x = new double[rows.size()];
                double[] y = new double[rows.size()];
                for (int k = 0; k < rows.size(); k++) {
                    x[k] = rows.get(k).epoch();
                    y[k] = c.value().applyAsDouble(rows.get(k));
                }
                plot.add(new LinePlot.Series(e.getKey(), colour(i++), x, y));
            }
            Path png = dir.resolve(c.file());
            plot.write(png, WIDTH, HEIGHT);
            written.add(png);
        }
        return written;
    }
}
