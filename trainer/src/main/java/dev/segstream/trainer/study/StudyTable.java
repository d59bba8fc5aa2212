package dev.segstream.trainer.study;

import dev.segstream.core.data.CamVidClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the study's comparison table as {@code study.md} and {@code study.csv}, and the IoU of
 * every class per variant and split (so "attention catches small objects" can be checked class by
 * class) as a second table in {@code study.md} and as {@code study-classes.csv}.
 */
public final class StudyTable {

    public static final String MARKDOWN = "study.md";
    static final String CSV = "study.csv";
    static final String CLASSES_CSV = "study-classes.csv";
    public static final String CSV_HEADER = "variant,runtime_s,lr,epochs,best_epoch,train_loss,val_loss,val_miou,test_loss,"
            + "test_miou,parameters,train_images_per_s";

    private StudyTable() {
    }

    static void write(Path dir, List<StudyRow> rows, String note) {
        StringBuilder md = new StringBuilder();
        md.append("| variant | runtime | lr | epochs | best epoch | train loss | val loss | val mIoU | test loss "
                + "| test mIoU | parameters | train images/s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (StudyRow r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f s | %.1e | %d | %d | %.4f | %.4f | %.4f | %s | %s | %,d | %.1f |%n",
                    r.variant(), r.runtimeSeconds(), r.lr(), r.epochs(), r.bestEpoch(), r.trainLoss(), r.valLoss(),
                    r.valMiou(), orNa(r.testLoss()), orNa(r.testMiou()), r.parameters(), r.imagesPerSecond()));
            csv.append(String.format(Locale.ROOT, "%s,%.1f,%s,%d,%d,%.6f,%.6f,%.6f,%s,%s,%d,%.2f%n", r.variant(),
                    r.runtimeSeconds(), r.lr(), r.epochs(), r.bestEpoch(), r.trainLoss(), r.valLoss(), r.valMiou(),
                    orNa(r.testLoss()), orNa(r.testMiou()), r.parameters(), r.imagesPerSecond()));
        }
        if (note != null && !note.isBlank()) {
            md.append('\n').append(note).append('\n');
        }
        StringBuilder classes = new StringBuilder("variant,split");
        md.append("\nIoU per class of each variant's artifact (- where a class is in neither truth nor prediction):"
                + "\n\n| variant | split |");
        for (String name : CamVidClasses.NAMES.subList(0, CamVidClasses.COUNT)) {
            md.append(' ').append(name).append(" |");
            classes.append(',').append(name);
        }
        md.append("\n|---|---|").append("---:|".repeat(CamVidClasses.COUNT)).append('\n');
        classes.append('\n');
        for (StudyRow r : rows) {
            classRow(md, classes, r.variant(), "val", r.valClassIou());
            if (r.testClassIou() != null) {
                classRow(md, classes, r.variant(), "test", r.testClassIou());
            }
        }
        try {
            Files.writeString(dir.resolve(MARKDOWN), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(CSV), csv.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(CLASSES_CSV), classes.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the study table to " + dir, e);
        }
    }

    private static void classRow(StringBuilder md, StringBuilder csv, String variant, String split, double[] iou) {
        md.append("| ").append(variant).append(" | ").append(split).append(" |");
        csv.append(variant).append(',').append(split);
        for (int c = 0; c < CamVidClasses.COUNT; c++) {
            double v = c < iou.length ? iou[c] : Double.NaN;
            // "-": the class is in neither the truth nor the prediction of these frames
            md.append(' ').append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)).append(" |");
            csv.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
        }
        md.append('\n');
        csv.append('\n');
    }

    private static String orNa(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
