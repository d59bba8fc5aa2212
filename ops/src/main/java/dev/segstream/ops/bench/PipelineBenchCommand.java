package dev.segstream.ops.bench;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.ops.report.JsonLine;
import dev.segstream.segmenter.SegmenterConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ops bench pipeline}: in one run, the bare model's batched throughput on pre-decoded
 * frames ({@code model_fps}) and the end-to-end throughput through a real in-process broker and
 * the segmenter stream, produce to mask consumed ({@code pipeline_fps}), same model and batch
 * size. Prints progress on stderr and one JSON line last on stdout.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Model throughput vs end-to-end pipeline throughput (in-process broker), one JSON line.")
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--frames", defaultValue = "1000", description = "Measured frames per phase (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--variant", defaultValue = "vanilla", description = "U-Net variant of the untrained model.")
    String variant;

    @Option(names = "--batch", defaultValue = "8", description = "max.batch.size, and the model phase's batch.")
    int batch;

    @Option(names = "--delay-ms", defaultValue = "20", description = "max.batch.delay.ms of the segmenter.")
    long delayMs;

    @Option(names = "--model", description = "Model artifact directory (default: untrained seeded model of --variant).")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = {"--width"}, defaultValue = "128", description = "Frame width.")
    int width;

    @Option(names = {"--height"}, defaultValue = "96", description = "Frame height.")
    int height;

    @Option(names = "--cameras", defaultValue = "4", description = "Synthetic cameras (record keys).")
    int cameras;

    @Option(names = "--rate", defaultValue = "0",
            description = "Frames per second offered to the pipeline; 0 = all at once (throughput, latency includes the backlog).")
    double rate;

    @Option(names = "--warmup", defaultValue = "300",
            description = "Frames sent through the pipeline before measuring; a short warm-up measures the JIT "
                    + "compiling the broker and clients (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "Extra segmenter setting; repeatable.")
    Map<String, String> extra = new HashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The segmenter settings both phases use (the pipeline phase adds the broker). */
    Map<String, Object> segmenterSettings() {
        Map<String, Object> s = new HashMap<>();
        s.put(SegmenterConfig.MODEL_VARIANT, variant);
        s.put(SegmenterConfig.DEVICE, device);
        s.put(SegmenterConfig.MAX_BATCH_SIZE, Integer.toString(batch));
        s.put(SegmenterConfig.MAX_BATCH_DELAY_MS, Long.toString(delayMs));
        s.put(SegmenterConfig.MAX_IN_FLIGHT_FRAMES, Integer.toString(Math.max(64, 4 * batch)));
        s.put(CommonConfig.METRICS_PORT, "-1");
        if (model != null) {
            s.put(SegmenterConfig.MODEL_DIR, model.toString());
        }
        s.putAll(extra);
        return s;
    }

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || batch < 1 || width < 1 || height < 1 || cameras < 1 || rate < 0 || warmup < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames, --batch, --width, --height, "
                    + "--cameras and --warmup must be positive, --rate not negative");
        }
        PipelineBench bench = new PipelineBench(segmenterSettings(), width, height, cameras, warmup);
        PipelineBench.Result r = bench.run(frames, batch, rate);
        System.out.println(json(frames, batch, width, height, r));
        return 0;
    }

    /** The JSON line the command prints last. */
    static String json(int frames, int batch, int width, int height, PipelineBench.Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("frames", frames);
        json.put("batch", batch);
        json.put("variant", r.variant());
        json.put("device", r.device());
        json.put("width", width);
        json.put("height", height);
        json.put("heap_mb_start", r.memoryStart().heapMb());
        json.put("heap_mb_end", r.memoryEnd().heapMb());
        json.put("rss_mb_start", r.memoryStart().rssMb());
        json.put("rss_mb_end", r.memoryEnd().rssMb());
        json.put("model_fps", JsonLine.rounded(r.modelFps(), 1));
        json.put("pipeline_fps", JsonLine.rounded(r.pipelineFps(), 1));
        json.put("ratio", JsonLine.rounded(r.pipelineFps() / r.modelFps(), 3));
        json.put("p50_ms", r.p50Ms());
        json.put("p99_ms", r.p99Ms());
        return JsonLine.of(json);
    }
}
