package dev.segstream.model.numerics;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * One 2-D convolution as the numerics self-test sees it: input and output channels, square
 * kernel, stride and padding. Parsed from and printed as {@code in:out:kernel:stride:padding}, so
 * a child JVM can be told which shapes to check on its command line.
 *
 * @param in      input channels
 * @param out     output channels (filters): the count the AVX-512 backward-data bug depends on
 * @param kernel  kernel side
 * @param stride  stride
 * @param padding zero padding on each side
 */
public record ConvShape(int in, int out, int kernel, int stride, int padding) implements Comparable<ConvShape> {

    private static final Comparator<ConvShape> ORDER = Comparator.comparingInt(ConvShape::kernel)
            .thenComparingInt(ConvShape::out).thenComparingInt(ConvShape::in).thenComparingInt(ConvShape::stride)
            .thenComparingInt(ConvShape::padding);

    public ConvShape {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("invalid conv shape " + in + ":" + out + ":" + kernel + ":" + stride
                    + ":" + padding);
        }
    }

    /** Parses {@code in:out:kernel:stride:padding}. */
    public static ConvShape parse(String s) {
        String[] p = s.split(":");
        if (p.length != 5) {
            throw new IllegalArgumentException("conv shape must be in:out:kernel:stride:padding, got '" + s + "'");
        }
        try {
            return new ConvShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    Integer.parseInt(p[3]), Integer.parseInt(p[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("conv shape must be in:out:kernel:stride:padding, got '" + s + "'", e);
        }
    }

    /**
     * Every distinct convolution in an initialised block tree (input channels are read from the
     * weights, so the block must be initialised).
     */
    public static Set<ConvShape> of(Block block) {
        Set<ConvShape> shapes = new TreeSet<>();
        collect(block, shapes);
        return shapes;
    }

    private static void collect(Block block, Set<ConvShape> into) {
        if (block instanceof Conv2d conv) {
            long[] w = conv.getParameters().get("weight").getArray().getShape().getShape();
            into.add(new ConvShape((int) w[1], (int) w[0], (int) w[2], (int) conv.getStride().get(0),
                    (int) conv.getPadding().get(0)));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), into);
        }
    }

    /** Spatial output size along one axis for an input of {@code size}. */
    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    @Override
    public int compareTo(ConvShape o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return in + ":" + out + ":" + kernel + ":" + stride + ":" + padding;
    }
}
