package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds parameters (weights, biases, BatchNorm scales and running statistics) holding NaN or
 * infinite values: such a model gives garbage masks, so it is never saved or served.
 */
public final class FiniteParameters {

    private FiniteParameters() {
    }

    /** {@code name (n of m non-finite)} for every parameter with a NaN or infinite value; empty when all are finite. */
    public static List<String> nonFinite(Block block) {
        List<String> bad = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            try (NDArray nan = a.isNaN(); NDArray inf = a.isInfinite(); NDArray either = nan.logicalOr(inf);
                 NDArray count = either.countNonzero()) {
                long n = count.toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
                if (n > 0) {
                    bad.add(p.getKey() + " (" + n + " of " + a.size() + " non-finite)");
                }
            }
        }
        return bad;
    }

    /** A short description of {@link #nonFinite} for messages: the first three and a count. */
    public static String describe(List<String> nonFinite) {
        return nonFinite.size() <= 3 ? String.join(", ", nonFinite)
                : String.join(", ", nonFinite.subList(0, 3)) + " and " + (nonFinite.size() - 3) + " more";
    }
}
