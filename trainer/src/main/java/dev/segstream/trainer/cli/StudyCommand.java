package dev.segstream.trainer.cli;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.study.Study;
import dev.segstream.trainer.study.StudyRow;
import dev.segstream.trainer.study.StudyTable;
import dev.segstream.trainer.training.TrainOptions;
import dev.segstream.trainer.training.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer study}: trains and compares variants, writing table, curves and prediction panels. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Train each variant into OUT/<variant>, evaluate on val (and test when present), and write "
                + "study.md, study.csv, curve plots and prediction panels. Re-running resumes or reuses.")
final class StudyCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Study folder.")
    Path out;

    @Option(names = "--variants", split = ",", description = "Comma-separated variants (default all four: "
            + "vanilla, noskip, residual, attention).")
    List<String> variants;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    List<TrainOptions> runs() {
        List<TrainOptions> runs = new ArrayList<>();
        List<String> names = variants != null ? variants
                : Arrays.stream(UNetVariant.values()).map(UNetVariant::id).toList();
        for (String name : new LinkedHashSet<>(names)) {
            String v = UNetVariant.parse(name).id();
            Map<String, Object> m = new TreeMap<>();
            m.put(TrainerConfig.VARIANT, v);
            m.put(TrainerConfig.OUT, out.resolve(v).toString());
            run.putInto(m);
            training.putInto(m);
            m.put(CommonConfig.METRICS_PORT, -1);
            runs.add(new TrainerConfig(m).options());
        }
        return runs;
    }

    @Override
    public Integer call() {
        List<StudyRow> rows = new Study(out, runs(), System.out).run();
        for (StudyRow r : rows) {
            System.out.printf(Locale.ROOT, "%-10s val mIoU %.4f  %d epochs  %.1f images/s%n", r.variant(), r.valMiou(),
                    r.epochs(), r.imagesPerSecond());
        }
        System.out.println("table: " + out.resolve(StudyTable.MARKDOWN));
        return 0;
    }
}
