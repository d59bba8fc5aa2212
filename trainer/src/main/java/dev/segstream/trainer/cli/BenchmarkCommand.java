package dev.segstream.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.EngineThreads;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.trainer.bench.TrainBenchmark;
import dev.segstream.trainer.training.MetricsLog;
import dev.segstream.trainer.training.TrainOptions;
import dev.segstream.trainer.training.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trainer benchmark}: inference throughput of the serving path (MaskPredictor), or with
 * {@code --train} training throughput and memory (RSS, heap) per epoch on real data, for a number
 * of epochs or a wall-clock budget. Either way the last line printed is one JSON object.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure MaskPredictor throughput (frames to masks) on random frames, or with --train "
                + "training images/s, RSS and heap per epoch on a CamVid-layout folder.")
final class BenchmarkCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", description = "Model artifact folder (default: untrained model of --variant).")
    Path model;

    @Option(names = "--variant", defaultValue = "vanilla", description = "Variant of the untrained model.")
    String variant;

    @Option(names = "--width", defaultValue = "128", description = "Frame width.")
    int width;

    @Option(names = "--height", defaultValue = "96", description = "Frame height.")
    int height;

    /** Measured inference seconds when {@code --seconds} is not given. */
    static final double DEFAULT_SECONDS = 10;
    /** Epochs of a training benchmark when neither {@code --epochs} nor {@code --seconds} is given. */
    static final int DEFAULT_EPOCHS = 10;

    @Option(names = "--seconds", description = "Measured duration (default 10, after a warm-up of up to 2 s); with "
            + "--train the run's wall-clock budget (loading and validation included), then --epochs only caps it.")
    Double seconds;

    @Option(names = "--train", description = "Benchmark training instead of inference (needs --data).")
    boolean train;

    @Option(names = "--data", description = "CamVid-layout folder (with --train).")
    Path data;

    @Option(names = "--epochs", description = "Epochs to train (with --train, at least 3; default 10, or as many as "
            + "--seconds allows when that is given).")
    Integer epochs;

    @Option(names = "--limit", defaultValue = "64", description = "Frames per split (with --train, default 64).")
    int limit;

    @Option(names = "--out", description = "Training output folder (with --train; default a temporary folder).")
    Path out;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Override
    public Integer call() throws Exception {
        int batchSize = training.batchSizeOrDefault();
        int filters = training.filtersOrDefault();
        String device = training.deviceOrDefault();
        if (train) {
            return benchmarkTraining(batchSize, filters);
        }
        // the same kernels a training run on this host would use, so inference is measured under them too
        TrainingNumerics.ensure(training.numericsOrDefault(), List.of(spec(filters)));
        int threads = EngineThreads.apply(training.threadsOrDefault());
        double measured = seconds != null ? seconds : DEFAULT_SECONDS;
        if (batchSize < 1 || width < 1 || height < 1 || !(measured > 0)) {
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
                : ModelArtifacts.untrained(spec(filters), 42, "bench", device);
             MaskPredictor p = m.newPredictor()) {
            long warm = System.nanoTime() + (long) (Math.min(2.0, measured) * 1e9);
            while (System.nanoTime() < warm) {
                p.predict(batch);
            }
            long start = System.nanoTime();
            long end = start + (long) (measured * 1e9);
            int calls = 0;
            while (System.nanoTime() < end) {
                p.predict(batch);
                calls++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            double imagesPerSecond = calls * batchSize / s;
            System.out.printf(Locale.ROOT, "%s %dx%d batch %d on %s: %.1f images/s (%.1f ms per batch, %d batches)%n",
                    m.descriptor().variant(), width, height, batchSize, m.device(), imagesPerSecond,
                    1000 * s / calls, calls);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("variant", m.descriptor().variant());
            json.put("width", width);
            json.put("height", height);
            json.put("batch_size", batchSize);
            json.put("device", m.device().toString());
            json.put("threads", threads);
            json.put("images_per_s", imagesPerSecond);
            json.put("batches", calls);
            json.put("seconds", s);
            System.out.println(JSON.writeValueAsString(json));
        }
        return 0;
    }

    private UNetSpec spec(int filters) {
        return new UNetSpec(UNetVariant.parse(variant), UNetSpec.DEFAULT_DEPTH, filters,
                dev.segstream.core.data.CamVidClasses.COUNT);
    }

    private int benchmarkTraining(int batchSize, int filters) throws Exception {
        if (data == null) {
            throw new IllegalArgumentException("--train needs --data");
        }
        if (seconds != null && !(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        Path dir = out != null ? out : java.nio.file.Files.createTempDirectory("segstream-bench-train");
        if (java.nio.file.Files.exists(dir.resolve(MetricsLog.CSV))) {
            throw new IllegalArgumentException("--out " + dir + " already holds a run; give an empty folder");
        }
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        m.put(TrainerConfig.VARIANT, variant);
        m.put(TrainerConfig.DATA, data.toString());
        m.put(TrainerConfig.OUT, dir.toString());
        m.put(TrainerConfig.EPOCHS, epochs != null ? epochs : seconds != null ? 0 : DEFAULT_EPOCHS);
        if (seconds != null) {
            m.put(TrainerConfig.MAX_MINUTES, seconds / 60);
        }
        m.put(TrainerConfig.LIMIT, limit);
        training.putInto(m);
        TrainOptions o = new TrainerConfig(m).options();
        TrainBenchmark.Report r = TrainBenchmark.run(o, System.err);
        TrainBenchmark.print(r, String.format(Locale.ROOT, "%s training, %d frames of %s, batch %d, filters %d",
                o.spec().variant(), limit, data, batchSize, filters), System.out);
        return 0;
    }
}
