package dev.segstream.trainer;

import dev.segstream.core.model.MaskPredictor;
import dev.segstream.core.model.ModelArtifacts;
import dev.segstream.core.model.SegmentationModel;
import dev.segstream.core.model.UNetSpec;
import dev.segstream.core.model.UNetVariant;
import dev.segstream.core.wire.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer benchmark}: inference throughput of the serving path (MaskPredictor). */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure MaskPredictor throughput (frames to masks) on random frames.")
final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Model artifact folder (default: untrained model of --variant).")
    Path model;

    @Option(names = "--variant", defaultValue = "vanilla", description = "Variant of the untrained model.")
    String variant;

    @Option(names = "--filters", defaultValue = "16", description = "Filters of the untrained model.")
    int filters;

    @Option(names = "--batch-size", defaultValue = "8", description = "Frames per call.")
    int batchSize;

    @Option(names = "--width", defaultValue = "128", description = "Frame width.")
    int width;

    @Option(names = "--height", defaultValue = "96", description = "Frame height.")
    int height;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured duration (after a warm-up of up to 2 s).")
    double seconds;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Override
    public Integer call() {
        if (batchSize < 1 || width < 1 || height < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("--batch-size, --width, --height and --seconds must be positive");
        }
        List<RgbImage> batch = new ArrayList<>();
        Random rnd = new Random(1);
        for (int i = 0; i < batchSize; i++) {
            byte[] px = new byte[width * height * 3];
            rnd.nextBytes(px);
            batch.add(new RgbImage(width, height, px));
        }
        try (SegmentationModel m = model != null ? ModelArtifacts.load(model, device)
                : ModelArtifacts.untrained(new UNetSpec(UNetVariant.parse(variant), UNetSpec.DEFAULT_DEPTH, filters,
                dev.segstream.core.data.CamVidClasses.COUNT), 42, "bench", device);
             MaskPredictor p = m.newPredictor()) {
            long warm = System.nanoTime() + (long) (Math.min(2.0, seconds) * 1e9);
            while (System.nanoTime() < warm) {
                p.predict(batch);
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int calls = 0;
            while (System.nanoTime() < end) {
                p.predict(batch);
                calls++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s %dx%d batch %d on %s: %.1f images/s (%.1f ms per batch, %d batches)%n",
                    m.descriptor().variant(), width, height, batchSize, m.device(), calls * batchSize / s,
                    1000 * s / calls, calls);
        }
        return 0;
    }
}
