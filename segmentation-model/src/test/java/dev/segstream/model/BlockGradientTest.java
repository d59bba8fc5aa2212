package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient check of every U-Net block at small channel counts (none a multiple of 16, where
 * oneDNN's AVX-512 backward-data goes wrong on some hosts): the float32 gradients the engine
 * computes for the inputs and every parameter against an independent reference, the same block
 * in float64 (which PyTorch runs without oneDNN), itself checked by central differences.
 */
class BlockGradientTest {

    private static final double FLOAT32_TOLERANCE = 2e-3;
    private static final double NUMERICAL_TOLERANCE = 1e-5;

    record Case(String name, Supplier<Block> block, Shape[] inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> blocks() {
        Shape s3 = new Shape(2, 3, 8, 12);
        Shape s4 = new Shape(2, 4, 8, 12);
        Shape low8 = new Shape(2, 8, 4, 6);
        Shape low5 = new Shape(2, 5, 4, 6);
        return Stream.of(
                new Case("doubleConv 3->4", () -> UNetBlocks.doubleConv(4), new Shape[] {s3}),
                new Case("doubleConv 4->11", () -> UNetBlocks.doubleConv(11), new Shape[] {s4}),
                new Case("down 4->8", () -> UNetBlocks.down(8), new Shape[] {s4}),
                new Case("up 8->4 with skip", () -> UNetBlocks.up(4), new Shape[] {low8, s4}),
                new Case("up 8->4 without skip", () -> UNetBlocks.upNoSkip(4), new Shape[] {low8}),
                new Case("up 8->4 through attention gate", () -> UNetBlocks.upAttention(4), new Shape[] {low8, s4}),
                new Case("attention gate 4, 3 inter, gated at half size by 5",
                        () -> UNetBlocks.attentionGate(4, 3), new Shape[] {s4, low5}),
                new Case("attention gate 4, nearest resampling",
                        () -> new AttentionGate(4, 3, AttentionGate.Resample.NEAREST), new Shape[] {s4, low5}),
                new Case("residual unit 4 identity", () -> UNetBlocks.residualUnit(4), new Shape[] {s4}),
                new Case("residual unit 4->8 stride 2", () -> UNetBlocks.residualUnit(4, 8, 2), new Shape[] {s4}),
                new Case("residual stem 3->8", () -> UNetBlocks.residualStem(3, 8), new Shape[] {s3}),
                new Case("residual up 12->4", () -> UNetBlocks.upResidual(12, 4), new Shape[] {low8, s4}))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void shouldMatchFloat64ReferenceWhenBackpropagatingThroughBlock(Case c) {
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            Block block = c.block().get();
            block.initialize(m, DataType.FLOAT32, c.inputs());
            Random rng = new Random(7);
            List<double[]> inputs = new ArrayList<>();
            for (Shape s : c.inputs()) {
                inputs.add(gaussian(rng, s.size()));
            }
            Shape[] outShapes = block.getOutputShapes(c.inputs());
            List<double[]> weights = new ArrayList<>();
            for (Shape s : outShapes) {
                weights.add(gaussian(rng, s.size()));
            }
            Map<String, double[]> f32 = gradients(m, block, c.inputs(), inputs, outShapes, weights, DataType.FLOAT32);
            toFloat64(block);
            Map<String, double[]> f64 = gradients(m, block, c.inputs(), inputs, outShapes, weights, DataType.FLOAT64);

            assertThat(f32.keySet()).isEqualTo(f64.keySet()).contains("input 0");
            for (String name : f64.keySet()) {
                double[] ref = f64.get(name);
                assertThat(maxError(f32.get(name), ref))
                        .as("%s: float32 gradient of %s vs float64 (scale %.3g)", c, name, scale(ref))
                        .isLessThanOrEqualTo(FLOAT32_TOLERANCE * Math.max(1, scale(ref)));
            }
            checkNumerically(m, block, c, inputs, outShapes, weights, f64.get("input 0"), rng);
        }
    }

    /** dL/d(input i) and dL/d(parameter) of L = sum_j sum(output_j * weight_j), in {@code type}. */
    private static Map<String, double[]> gradients(NDManager parent, Block block, Shape[] shapes, List<double[]> inputs,
                                                   Shape[] outShapes, List<double[]> weights, DataType type) {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (NDManager m = parent.newSubManager()) {
            NDList xs = arrays(m, inputs, shapes, type);
            for (NDArray x : xs) {
                x.setRequiresGradient(true);
            }
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(loss(m, block, xs, outShapes, weights, type));
            }
            for (int i = 0; i < xs.size(); i++) {
                out.put("input " + i, toDoubles(xs.get(i).getGradient()));
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.put(p.getKey(), toDoubles(p.getValue().getArray().getGradient()));
                }
            }
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().getGradient().subi(p.getValue().getArray().getGradient());
            }
        }
        return out;
    }

    private static NDArray loss(NDManager m, Block block, NDList xs, Shape[] outShapes, List<double[]> weights,
                                DataType type) {
        NDList ys = block.forward(new ParameterStore(m, false), xs, true);
        NDArray total = null;
        for (int j = 0; j < outShapes.length; j++) {
            NDArray term = ys.get(j).mul(arrays(m, List.of(weights.get(j)), new Shape[] {outShapes[j]}, type).head())
                    .sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Central differences of the float64 loss along a few random input coordinates. */
    private static void checkNumerically(NDManager parent, Block block, Case c, List<double[]> inputs,
                                         Shape[] outShapes, List<double[]> weights, double[] dx, Random rng) {
        double eps = 1e-6;
        for (int k = 0; k < 6; k++) {
            int i = rng.nextInt(inputs.get(0).length);
            double[] plus = inputs.get(0).clone();
            double[] minus = inputs.get(0).clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numerical = (lossValue(parent, block, c, plus, inputs, outShapes, weights)
                    - lossValue(parent, block, c, minus, inputs, outShapes, weights)) / (2 * eps);
            assertThat(Math.abs(numerical - dx[i])).as("%s: numerical dL/dx[%d] %.8f vs float64 %.8f", c, i, numerical,
                    dx[i]).isLessThanOrEqualTo(NUMERICAL_TOLERANCE * Math.max(1, Math.abs(dx[i])));
        }
    }

    private static double lossValue(NDManager parent, Block block, Case c, double[] first, List<double[]> inputs,
                                    Shape[] outShapes, List<double[]> weights) {
        List<double[]> in = new ArrayList<>(inputs);
        in.set(0, first);
        try (NDManager m = parent.newSubManager()) {
            return loss(m, block, arrays(m, in, c.inputs(), DataType.FLOAT64), outShapes, weights, DataType.FLOAT64)
                    .toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** Replaces every parameter with a float64 copy of itself (DJL blocks have no cast). */
    private static void toFloat64(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.intern(a.toType(DataType.FLOAT64, true));
            if (p.getValue().requiresGradient()) {
                a.setRequiresGradient(true);
            }
        }
    }

    private static NDList arrays(NDManager m, List<double[]> values, Shape[] shapes, DataType type) {
        NDList out = new NDList();
        for (int i = 0; i < values.size(); i++) {
            out.add(m.create(values.get(i), shapes[i]).toType(type, false));
        }
        return out;
    }

    private static double[] toDoubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static double[] gaussian(Random rng, long n) {
        double[] a = new double[(int) n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }

    private static double maxError(double[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            e = Double.isFinite(a[i]) ? Math.max(e, Math.abs(a[i] - b[i])) : Double.POSITIVE_INFINITY;
        }
        return e;
    }

    private static double scale(double[] a) {
        double s = 0;
        for (double v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }
}
