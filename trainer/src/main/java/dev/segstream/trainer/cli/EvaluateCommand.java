package dev.segstream.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.TestTimeAugmentation;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.training.Evaluation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer evaluate}: loss, mIoU, pixel accuracy and per-class IoU of a model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model artifact on a split; the last output line is one JSON object.")
final class EvaluateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "Model artifact folder (model.json + parameters).")
    Path model;

    @Option(names = "--data", required = true, description = "CamVid-layout folder.")
    Path data;

    @Option(names = "--split", defaultValue = "val", description = "val or test (default val).")
    String split;

    @Option(names = "--batch-size", defaultValue = "8", description = "Frames per forward pass (default 8).")
    int batchSize;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many frames (0 = all).")
    int limit;

    @Option(names = "--tta", defaultValue = "none", description = "Test-time augmentation: none, or flip (each "
            + "frame and its horizontal mirror, logits averaged; the segmenter's model.tta). Default none.")
    String tta;

    @Override
    public Integer call() throws Exception {
        if (!List.of("val", "test").contains(split)) {
            throw new IllegalArgumentException("--split must be val or test, got '" + split + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        TestTimeAugmentation augmentation = TestTimeAugmentation.parse(tta);
        CamVidData d = CamVidData.read(data, split, limit);
        try (SegmentationModel m = ModelArtifacts.load(model, device)) {
            ModelDescriptor desc = m.descriptor();
            float[] mean = new float[3];
            float[] std = new float[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = desc.mean().get(c);
                std[c] = desc.std().get(c);
            }
            Evaluation.Result r = Evaluation.run(((DjlSegmentationModel) m).djlModel(), d.normalise(mean, std), d,
                    desc.classes(), desc.ignoreIndex(), batchSize, augmentation);
            System.out.println(toJson(desc.variant(), split, augmentation.id(), r));
        }
        return 0;
    }

    static String toJson(String variant, String split, String tta, Evaluation.Result r) throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("variant", variant);
        o.put("split", split);
        o.put("tta", tta);
        o.put("images", r.images());
        o.put("loss", finite(r.loss()));
        o.put("miou", finite(r.confusion().meanIou()));
        o.put("pixel_accuracy", finite(r.confusion().pixelAccuracy()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        double[] iou = r.confusion().perClassIou();
        for (int c = 0; c < iou.length; c++) {
            perClass.put(c < CamVidClasses.NAMES.size() ? CamVidClasses.NAMES.get(c) : "class" + c, finite(iou[c]));
        }
        o.put("per_class_iou", perClass);
        return JSON.writeValueAsString(o);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
