package dev.segstream.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Appends one row per epoch to {@code metrics.csv} and {@code metrics.jsonl}, and reads the CSV
 * back (by column name, so files from older builds with fewer columns still read).
 */
public final class MetricsLog {

    public static final String CSV = "metrics.csv";
    static final String JSONL = "metrics.jsonl";
    static final String HEADER = "epoch,train_loss,val_loss,val_miou,val_pixel_accuracy,lr,images_per_s,elapsed_s,"
            + "test_loss,test_miou,rss_mb,heap_mb,skipped_steps";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path csv;
    private final Path jsonl;

    MetricsLog(Path dir) {
        csv = dir.resolve(CSV);
        jsonl = dir.resolve(JSONL);
        try {
            if (!Files.exists(csv)) {
                Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void append(EpochMetrics m) {
        String line = String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3g,%.2f,%.1f,%s,%s,%d,%d,%d", m.epoch(),
                m.trainLoss(), m.valLoss(), m.valMiou(), m.valAccuracy(), m.lr(), m.imagesPerSecond(),
                m.elapsedSeconds(), optional(m.testLoss()), optional(m.testMiou()), m.rssMb(), m.heapMb(),
                m.skippedSteps());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", m.epoch());
        row.put("train_loss", m.trainLoss());
        row.put("val_loss", m.valLoss());
        row.put("val_miou", m.valMiou());
        row.put("val_pixel_accuracy", m.valAccuracy());
        row.put("lr", m.lr());
        row.put("images_per_s", m.imagesPerSecond());
        row.put("elapsed_s", m.elapsedSeconds());
        if (m.hasTest()) {
            row.put("test_loss", m.testLoss());
            row.put("test_miou", m.testMiou());
        }
        row.put("rss_mb", m.rssMb());
        row.put("heap_mb", m.heapMb());
        row.put("skipped_steps", m.skippedSteps());
        try {
            Files.writeString(csv, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(jsonl, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String optional(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** The rows of {@code dir/metrics.csv}; an empty list when it does not exist. */
    public static List<EpochMetrics> read(Path dir) {
        Path f = dir.resolve(CSV);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            String[] names = lines.get(0).split(",", -1);
            List<EpochMetrics> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Map<String, Double> v = new HashMap<>();
                for (int i = 0; i < Math.min(names.length, cells.length); i++) {
                    v.put(names[i], cells[i].isBlank() ? Double.NaN : Double.parseDouble(cells[i]));
                }
                out.add(new EpochMetrics(v.getOrDefault("epoch", Double.NaN).intValue(), get(v, "train_loss"),
                        get(v, "val_loss"), get(v, "val_miou"), get(v, "val_pixel_accuracy"), get(v, "lr"),
                        get(v, "images_per_s"), get(v, "elapsed_s"), get(v, "test_loss"), get(v, "test_miou"),
                        (long) v.getOrDefault("rss_mb", -1.0).doubleValue(),
                        (long) v.getOrDefault("heap_mb", -1.0).doubleValue(),
                        (long) v.getOrDefault("skipped_steps", 0.0).doubleValue()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed " + f + ": " + e.getMessage(), e);
        }
    }

    private static double get(Map<String, Double> v, String name) {
        return v.getOrDefault(name, Double.NaN);
    }
}
