package dev.segstream.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Appends one row per epoch to {@code metrics.csv} and {@code metrics.jsonl}. */
final class MetricsLog {

    static final String CSV = "metrics.csv";
    static final String JSONL = "metrics.jsonl";
    static final String HEADER = "epoch,train_loss,val_loss,val_miou,val_pixel_accuracy,lr,images_per_s,elapsed_s";

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

    void append(int epoch, double trainLoss, double valLoss, double valMiou, double valAcc, double lr,
                double imagesPerSecond, double elapsedSeconds) {
        String line = String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3g,%.2f,%.1f", epoch, trainLoss, valLoss,
                valMiou, valAcc, lr, imagesPerSecond, elapsedSeconds);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", trainLoss);
        row.put("val_loss", valLoss);
        row.put("val_miou", valMiou);
        row.put("val_pixel_accuracy", valAcc);
        row.put("lr", lr);
        row.put("images_per_s", imagesPerSecond);
        row.put("elapsed_s", elapsedSeconds);
        try {
            Files.writeString(csv, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(jsonl, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
