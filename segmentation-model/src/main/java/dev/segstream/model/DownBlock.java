package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** 2x2 max-pool with stride 2, then a body block (a {@link DoubleConv} in the U-Net). */
public final class DownBlock extends AbstractBlock {

    private static final Shape TWO = new Shape(2, 2);
    private static final Shape ZERO = new Shape(0, 0);

    private final Block body;

    DownBlock(Block body) {
        super(UNetBlocks.VERSION);
        this.body = addChildBlock("body", body);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray pooled = Pool.maxPool2d(inputs.head(), TWO, TWO, ZERO, false);
        return new NDList(UNetBlocks.runAndFree(body, ps, pooled, training));
    }

    private static Shape pooled(Shape s) {
        return new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(new Shape[] {pooled(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, pooled(inputShapes[0]));
    }
}
