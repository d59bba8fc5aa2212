package dev.segstream.model.numerics;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetBase;
import dev.segstream.model.UNetFactory;
import dev.segstream.model.UNetSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The self-test of conv backward-data in this process: which conv shapes a set of U-Nets uses, and
 * a {@link ConvGradientCheck} of each.
 */
public final class ConvSelfTest {

    private static final long SEED = 20261130L;

    /**
     * What a self-test found; also the JSON line the child probe prints.
     *
     * @param checked  how many checks ran: each shape contiguous, and channels-last where training
     *                 may use it ({@link MemoryFormat#channelsLastSafe}) unless it trains contiguous
     * @param failures the shapes whose gradients were wrong, with their errors
     * @param worst    the check with the largest relative error
     * @param maxRelativeError that error divided by its scale (at least 1)
     * @param seconds  how long the checks took
     */
    public record Report(@JsonProperty("checked") int checked, @JsonProperty("failures") List<String> failures,
                         @JsonProperty("worst") String worst,
                         @JsonProperty("max_relative_error") double maxRelativeError,
                         @JsonProperty("seconds") double seconds) {

        /** Whether every shape's gradient was right. */
        public boolean correct() {
            return failures.isEmpty();
        }

        /** One line for a log. */
        public String summary() {
            return correct()
                    ? String.format(java.util.Locale.ROOT,
                    "conv backward-data correct for %d conv shape x layout checks (worst %s)", checked, worst)
                    : String.format(java.util.Locale.ROOT,
                    "conv backward-data WRONG for %d of %d conv shape x layout checks (%s)", failures.size(), checked,
                    String.join("; ", failures.subList(0, Math.min(3, failures.size()))));
        }
    }

    private ConvSelfTest() {
    }

    /**
     * Checks every shape in this process (loads the PyTorch engine): contiguous, and channels-last
     * where it is safe unless {@code format} is {@link MemoryFormat#CONTIGUOUS} (a run that trains
     * contiguous must not be sent to a slower setting for kernels it never calls).
     */
    public static Report run(Collection<ConvShape> shapes, MemoryFormat format) {
        long t0 = System.nanoTime();
        List<ConvGradientCheck.Result> results = new ArrayList<>();
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            for (ConvShape s : shapes) {
                results.add(ConvGradientCheck.check(m, s, MemoryFormat.CONTIGUOUS, SEED));
                if (format != MemoryFormat.CONTIGUOUS && MemoryFormat.channelsLastSafe(s)) {
                    results.add(ConvGradientCheck.check(m, s, MemoryFormat.CHANNELS_LAST, SEED));
                }
            }
        }
        List<String> failures = results.stream().filter(r -> !r.correct()).map(Object::toString).toList();
        ConvGradientCheck.Result worst = results.stream()
                .max(Comparator.comparingDouble(ConvSelfTest::relativeError)).orElse(null);
        return new Report(results.size(), failures, worst == null ? "none" : worst.toString(),
                worst == null ? 0 : relativeError(worst), (System.nanoTime() - t0) / 1e9);
    }

    private static double relativeError(ConvGradientCheck.Result r) {
        return r.nonFinite() > 0 ? Double.POSITIVE_INFINITY : r.maxError() / Math.max(1, r.scale());
    }

    /**
     * Every distinct convolution of the given U-Nets, read from blocks built with zero weights
     * (so the engine's random generator, which training seeds, is not drawn from).
     */
    public static Set<ConvShape> shapesOf(Collection<UNetSpec> specs) {
        Set<ConvShape> shapes = new TreeSet<>();
        for (UNetSpec spec : specs) {
            try (Model model = PyTorch.engine().newModel("numerics-" + spec.variant().id(), ai.djl.Device.cpu())) {
                UNetBase block = UNetFactory.create(spec);
                block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
                model.setBlock(block);
                int side = spec.sizeMultiple();
                block.initialize(model.getNDManager(), DataType.FLOAT32,
                        new Shape(1, UNetBase.IN_CHANNELS, side, side));
                shapes.addAll(ConvShape.of(block));
            }
        }
        return shapes;
    }
}
