package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The encoder-decoder skeleton shared by the U-Net variants: a stem at full resolution,
 * {@code depth} down steps, {@code depth} up steps and a 1x1 conv head producing
 * {@code classes} logits. Input {@code (N, 3, H, W)} float32 with H and W multiples of
 * {@code 2^depth}; output {@code (N, classes, H, W)}.
 */
public abstract class UNetBase extends AbstractBlock {

    /** Input channels (RGB). */
    public static final int IN_CHANNELS = 3;

    private final UNetSpec spec;
    private final Block stem;
    private final List<Block> downs;
    /** {@code ups.get(level)} takes level {@code level + 1} to level {@code level}. */
    private final List<UpBlock> ups;
    private final Block head;

    protected UNetBase(UNetSpec spec, Block stem, List<Block> downs, List<UpBlock> ups) {
        super(UNetBlocks.VERSION);
        if (downs.size() != spec.depth() || ups.size() != spec.depth()) {
            throw new IllegalArgumentException("a depth-" + spec.depth() + " U-Net needs " + spec.depth()
                    + " down and up steps, got " + downs.size() + " and " + ups.size());
        }
        this.spec = spec;
        this.stem = addChildBlock("stem", stem);
        List<Block> d = new ArrayList<>();
        for (int i = 0; i < downs.size(); i++) {
            d.add(addChildBlock("down" + (i + 1), downs.get(i)));
        }
        this.downs = List.copyOf(d);
        List<UpBlock> u = new ArrayList<>(Arrays.asList(new UpBlock[ups.size()]));
        for (int level = ups.size() - 1; level >= 0; level--) {
            u.set(level, addChildBlock("up" + level, ups.get(level)));
        }
        this.ups = List.copyOf(u);
        this.head = addChildBlock("head", UNetBlocks.conv(spec.classes(), 1, 1, true));
    }

    /** The {@code depth} down steps, {@code perLevel} giving the step that produces level 1..depth. */
    protected static List<Block> downSteps(UNetSpec spec, IntFunction<Block> perLevel) {
        List<Block> out = new ArrayList<>();
        for (int level = 1; level <= spec.depth(); level++) {
            out.add(perLevel.apply(level));
        }
        return out;
    }

    /** The {@code depth} up steps, {@code perLevel} giving the step that produces level 0..depth-1. */
    protected static List<UpBlock> upSteps(UNetSpec spec, IntFunction<UpBlock> perLevel) {
        List<UpBlock> out = new ArrayList<>();
        for (int level = 0; level < spec.depth(); level++) {
            out.add(perLevel.apply(level));
        }
        return out;
    }

    /** The plain encoder shared by vanilla, no-skip and attention: max-pool then double conv. */
    protected static List<Block> plainDownSteps(UNetSpec spec) {
        return downSteps(spec, level -> UNetBlocks.down(spec.channelsAt(level)));
    }

    /** What this network is. */
    public UNetSpec spec() {
        return spec;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), training, null));
    }

    /**
     * Runs the network.
     *
     * @param alphaSink when not {@code null}, receives the attention coefficient maps of gated
     *                  steps, indexed by level (0 = full resolution); otherwise they are freed
     */
    protected final NDArray forward(ParameterStore ps, NDArray input, boolean training, NDArray[] alphaSink) {
        checkInput(input.getShape());
        int depth = spec.depth();
        NDArray[] feats = new NDArray[depth + 1];
        feats[0] = UNetBlocks.run(stem, ps, input, training);
        for (int i = 1; i <= depth; i++) {
            feats[i] = UNetBlocks.run(downs.get(i - 1), ps, feats[i - 1], training);
            if (!ups.get(i - 1).usesSkip()) {
                feats[i - 1].close();
                feats[i - 1] = null;
            }
        }
        NDArray y = feats[depth];
        for (int level = depth - 1; level >= 0; level--) {
            UpBlock up = ups.get(level);
            NDList out = up.usesSkip()
                    ? up.forward(ps, new NDList(y, feats[level]), training)
                    : up.forward(ps, new NDList(y), training);
            y.close();
            if (feats[level] != null) {
                feats[level].close();
            }
            y = out.get(0);
            if (out.size() > 1) {
                if (alphaSink != null) {
                    alphaSink[level] = out.get(1);
                } else {
                    out.get(1).close();
                }
            }
        }
        return UNetBlocks.runAndFree(head, ps, y, training);
    }

    private void checkInput(Shape s) {
        int m = spec.sizeMultiple();
        if (s.dimension() != 4 || s.get(1) != IN_CHANNELS) {
            throw new IllegalArgumentException("U-Net input must be (N, 3, H, W), got " + s);
        }
        if (s.get(2) % m != 0 || s.get(3) % m != 0) {
            throw new IllegalArgumentException("U-Net of depth " + spec.depth() + " needs H and W multiples of "
                    + m + ", got " + s.get(2) + "x" + s.get(3) + " (pad first)");
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), spec.classes(), s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        int depth = spec.depth();
        Shape[] feats = new Shape[depth + 1];
        stem.initialize(manager, dataType, inputShapes[0]);
        feats[0] = stem.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        for (int i = 1; i <= depth; i++) {
            Block down = downs.get(i - 1);
            down.initialize(manager, dataType, feats[i - 1]);
            feats[i] = down.getOutputShapes(new Shape[] {feats[i - 1]})[0];
        }
        Shape y = feats[depth];
        for (int level = depth - 1; level >= 0; level--) {
            UpBlock up = ups.get(level);
            Shape[] in = up.usesSkip() ? new Shape[] {y, feats[level]} : new Shape[] {y};
            up.initialize(manager, dataType, in);
            y = up.getOutputShapes(in)[0];
        }
        head.initialize(manager, dataType, y);
    }
}
