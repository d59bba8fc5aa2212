package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Side-by-side smoke measurement of the attention variant's two gate forms (Oktay's grid gate,
 * the product's, and the older same-resolution gate, kept in test scope): parameters, inference
 * and forward+backward images/s at 128x96, batch 8, one thread, rounds alternating so host noise
 * hits both. Off by default (it measures, it does not test); run with
 * {@code SEGSTREAM_BENCH=1 mvn -B -o verify -pl segmentation-model -am -Dtest=AttentionFormsBench
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfEnvironmentVariable(named = "SEGSTREAM_BENCH", matches = "1")
class AttentionFormsBench {

    private static final Shape INPUT = new Shape(8, 3, 96, 128);
    private static final double SECONDS = Double.parseDouble(System.getenv().getOrDefault("BENCH_SECONDS", "2"));
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));

    @Test
    void measure() {
        EngineThreads.apply(1);
        UNetSpec spec = UNetSpec.of(UNetVariant.ATTENTION, 11);
        Map<String, Function<UNetSpec, UNetBase>> forms = new LinkedHashMap<>();
        forms.put("grid (Oktay, coarse gating)", UNetFactory::create);
        forms.put("same-resolution (before)", SameResolutionAttentionUNet::new);
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Function<UNetSpec, UNetBase>> f : forms.entrySet()) {
                try (Model model = model(f.getValue().apply(spec))) {
                    double inf = imagesPerSecond(model, false);
                    double train = imagesPerSecond(model, true);
                    rates.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(new double[] {inf, train});
                    if (round == 0) {
                        System.out.printf(Locale.ROOT, "bench %-28s parameters %,d%n", f.getKey(),
                                ModelArtifacts.parameterCount(model));
                    }
                    System.out.printf(Locale.ROOT, "bench round %d %-28s inference %.1f img/s, fwd+bwd %.1f img/s%n",
                            round + 1, f.getKey(), inf, train);
                }
            }
        }
        rates.forEach((k, v) -> System.out.printf(Locale.ROOT, "bench median %-28s inference %.1f img/s, fwd+bwd %.1f img/s%n",
                k, median(v, 0), median(v, 1)));
        assertThat(rates).hasSize(2);
    }

    private static Model model(UNetBase block) {
        Model model = PyTorch.engine().newModel("bench", ai.djl.Device.cpu());
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 16, 16));
        return model;
    }

    private static double imagesPerSecond(Model model, boolean training) {
        int images = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (SECONDS * 1e9);
        do {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray x = m.randomNormal(INPUT);
                ParameterStore ps = new ParameterStore(m, false);
                if (training) {
                    try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                        gc.backward(model.getBlock().forward(ps, new NDList(x), true).head().mean());
                    }
                } else {
                    GradMode.disable();
                    model.getBlock().forward(ps, new NDList(x), false).head().toFloatArray();
                }
            }
            images += (int) INPUT.get(0);
        } while (System.nanoTime() < end);
        return images / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(List<double[]> v, int i) {
        double[] a = v.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
