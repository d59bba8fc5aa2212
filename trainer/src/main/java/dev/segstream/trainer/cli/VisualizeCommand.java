package dev.segstream.trainer.cli;

import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.study.PanelMaker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer visualize}: the prediction panel of one model on evenly spaced frames of a split. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = "Write a PNG panel (image | ground truth | prediction, plus attention gates) for a model.")
final class VisualizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model artifact folder.")
    Path model;

    @Option(names = "--data", required = true, description = "CamVid-layout folder.")
    Path data;

    @Option(names = "--split", defaultValue = "val", description = "Split to draw frames from (default val).")
    String split;

    @Option(names = "--count", defaultValue = "8", description = "Frames, evenly spaced over the split (default 8).")
    int count;

    @Option(names = "--out", required = true, description = "Output folder; the panel is <variant>-<split>.png.")
    Path out;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be positive, got " + count);
        }
        CamVidData d = CamVidData.read(data, split, 0);
        try (DjlSegmentationModel m = (DjlSegmentationModel) ModelArtifacts.load(model, device)) {
            Path png = out.resolve(m.descriptor().variant() + "-" + split + ".png");
            PanelMaker.write(m, d, count, png);
            System.out.println("wrote " + png);
        }
        return 0;
    }
}
