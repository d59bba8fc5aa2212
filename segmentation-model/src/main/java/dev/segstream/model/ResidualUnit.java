package dev.segstream.model;

import static dev.segstream.model.UNetBlocks.reluAndFree;
import static dev.segstream.model.UNetBlocks.run;
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
 * Residual unit of ResUNet (Zhang, Liu, Wang 2018), full pre-activation:
 * {@code BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3 + shortcut}, the shortcut being the identity
 * or, when channels or resolution change, a 1x1 conv (same stride) + BN projection. The stem
 * form ({@code preActivate = false}) starts with the conv, as the paper's first unit does.
 */
public final class ResidualUnit extends AbstractBlock {

    private final int in;
    private final int out;
    private final int stride;
    private final boolean preActivate;
    private final Block bn1;
    private final Block conv1;
    private final Block bn2;
    private final Block conv2;
    private final Block projConv;
    private final Block projBn;

    ResidualUnit(int in, int out, int stride, boolean preActivate) {
        super(UNetBlocks.VERSION);
        if (in < 1 || out < 1 || stride < 1) {
            throw new IllegalArgumentException("residual unit needs positive channels and stride, got in=" + in
                    + " out=" + out + " stride=" + stride);
        }
        this.in = in;
        this.out = out;
        this.stride = stride;
        this.preActivate = preActivate;
        bn1 = preActivate ? addChildBlock("bn1", UNetBlocks.batchNorm()) : null;
        conv1 = addChildBlock("conv1", UNetBlocks.conv(out, 3, stride, false));
        bn2 = addChildBlock("bn2", UNetBlocks.batchNorm());
        conv2 = addChildBlock("conv2", UNetBlocks.conv(out, 3, 1, true));
        if (in != out || stride != 1) {
            projConv = addChildBlock("proj_conv", UNetBlocks.conv(out, 1, stride, false));
            projBn = addChildBlock("proj_bn", UNetBlocks.batchNorm());
        } else {
            projConv = null;
            projBn = null;
        }
    }

    /** Whether the shortcut is a 1x1 projection rather than the identity. */
    public boolean hasProjection() {
        return projConv != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray h = preActivate
                ? runAndFree(conv1, ps, reluAndFree(run(bn1, ps, x, training)), training)
                : run(conv1, ps, x, training);
        h = runAndFree(conv2, ps, reluAndFree(runAndFree(bn2, ps, h, training)), training);
        NDArray y;
        if (projConv != null) {
            NDArray s = runAndFree(projBn, ps, run(projConv, ps, x, training), training);
            y = h.add(s);
            s.close();
        } else {
            y = h.add(x);
        }
        h.close();
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {UNetBlocks.convShape(inputShapes[0], out, stride)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.get(1) != in) {
            throw new IllegalArgumentException("residual unit built for " + in + " input channels got " + x.get(1));
        }
        Shape mid = UNetBlocks.convShape(x, out, stride);
        if (bn1 != null) {
            bn1.initialize(manager, dataType, x);
        }
        conv1.initialize(manager, dataType, x);
        bn2.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        if (projConv != null) {
            projConv.initialize(manager, dataType, x);
            projBn.initialize(manager, dataType, mid);
        }
    }
}
