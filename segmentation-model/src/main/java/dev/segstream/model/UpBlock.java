package dev.segstream.model;

import static dev.segstream.model.UNetBlocks.reluAndFree;
import static dev.segstream.model.UNetBlocks.runAndFree;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One decoder step: 2x nearest upsample of {@code x} (DJL's PyTorch engine has no transposed
 * convolution), optionally a 3x3 conv + BN + ReLU to {@code out} channels, then either the fuse
 * block alone ({@link Mode#NO_SKIP}) or the concatenation {@code [skip, up]} into the fuse block.
 * With a gate the skip first passes it: an {@link AttentionGate} is gated by {@code x} itself, the
 * decoder feature at the coarser scale before upsampling (Oktay 2018); a gate built with
 * {@code gateOnUpsampled} (kept for side-by-side measurements of the older same-resolution form)
 * is gated by the up-sampled, convolved signal instead.
 *
 * <p>Inputs {@code (x)} or {@code (x, skip)}; outputs {@code (y)}, or {@code (y, alpha)} with a gate.
 */
public final class UpBlock extends AbstractBlock {

    /** How the skip is used. */
    public enum Mode { CONCAT, NO_SKIP }

    private final int out;
    private final Mode mode;
    private final Block upConv;
    private final Block upBn;
    private final Block gate;
    private final boolean gateOnUpsampled;
    private final Block fuse;

    UpBlock(int out, boolean withUpConv, Mode mode, AttentionGate gate, Block fuse) {
        this(out, withUpConv, mode, gate, false, fuse);
    }

    /** With any gate block of inputs {@code (skip, gating)} and outputs {@code (gated skip, alpha)}. */
    UpBlock(int out, boolean withUpConv, Mode mode, Block gate, boolean gateOnUpsampled, Block fuse) {
        super(UNetBlocks.VERSION);
        this.out = out;
        this.mode = mode;
        this.gateOnUpsampled = gateOnUpsampled;
        upConv = withUpConv ? addChildBlock("up_conv", UNetBlocks.conv(out, 3, 1, false)) : null;
        upBn = withUpConv ? addChildBlock("up_bn", UNetBlocks.batchNorm()) : null;
        this.gate = gate == null ? null : addChildBlock("gate", gate);
        this.fuse = addChildBlock("fuse", fuse);
    }

    /** Whether this step uses a skip connection. */
    public boolean usesSkip() {
        return mode == Mode.CONCAT;
    }

    /** Whether this step gates its skip. */
    public boolean isGated() {
        return gate != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray skip = mode == Mode.NO_SKIP ? null : inputs.get(1);
        NDArray alpha = null;
        NDArray gatedSkip = skip;
        if (gate != null && !gateOnUpsampled) {
            NDList g = gate.forward(ps, new NDList(skip, x), training);
            gatedSkip = g.get(0);
            alpha = g.get(1);
        }
        NDArray up = UNetBlocks.upsample2x(x);
        if (upConv != null) {
            up = reluAndFree(runAndFree(upBn, ps, runAndFree(upConv, ps, up, training), training));
        }
        if (mode == Mode.NO_SKIP) {
            return new NDList(runAndFree(fuse, ps, up, training));
        }
        if (gate != null && gateOnUpsampled) {
            NDList g = gate.forward(ps, new NDList(skip, up), training);
            gatedSkip = g.get(0);
            alpha = g.get(1);
        }
        NDArray cat = gatedSkip.concat(up, 1);
        up.close();
        if (gatedSkip != skip) {
            gatedSkip.close();
        }
        NDArray y = runAndFree(fuse, ps, cat, training);
        return alpha == null ? new NDList(y) : new NDList(y, alpha);
    }

    private Shape upShape(Shape x) {
        return new Shape(x.get(0), upConv != null ? out : x.get(1), x.get(2) * 2, x.get(3) * 2);
    }

    private Shape fuseInput(Shape[] in) {
        Shape up = upShape(in[0]);
        return mode == Mode.NO_SKIP ? up : UNetBlocks.withChannels(up, up.get(1) + in[1].get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape y = fuse.getOutputShapes(new Shape[] {fuseInput(inputShapes)})[0];
        return gate == null ? new Shape[] {y} : new Shape[] {y, UNetBlocks.withChannels(y, 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape upIn = new Shape(x.get(0), x.get(1), x.get(2) * 2, x.get(3) * 2);
        if (upConv != null) {
            upConv.initialize(manager, dataType, upIn);
            upBn.initialize(manager, dataType, upShape(x));
        }
        if (gate != null) {
            gate.initialize(manager, dataType, inputShapes[1], gateOnUpsampled ? upShape(x) : x);
        }
        fuse.initialize(manager, dataType, fuseInput(inputShapes));
    }
}
