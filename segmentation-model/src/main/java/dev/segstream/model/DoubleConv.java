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

/** (3x3 conv, BatchNorm, ReLU) twice. Convs have no bias: the BatchNorm that follows has one. */
public final class DoubleConv extends AbstractBlock {

    private final int out;
    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;

    DoubleConv(int out) {
        super(UNetBlocks.VERSION);
        this.out = out;
        conv1 = addChildBlock("conv1", UNetBlocks.conv(out, 3, 1, false));
        bn1 = addChildBlock("bn1", UNetBlocks.batchNorm());
        conv2 = addChildBlock("conv2", UNetBlocks.conv(out, 3, 1, false));
        bn2 = addChildBlock("bn2", UNetBlocks.batchNorm());
    }

    /** Output channels. */
    public int outChannels() {
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = run(conv1, ps, inputs.head(), training);
        x = reluAndFree(runAndFree(bn1, ps, x, training));
        x = runAndFree(conv2, ps, x, training);
        return new NDList(reluAndFree(runAndFree(bn2, ps, x, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {UNetBlocks.withChannels(inputShapes[0], out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape mid = UNetBlocks.withChannels(inputShapes[0], out);
        conv1.initialize(manager, dataType, inputShapes[0]);
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, mid);
    }
}
