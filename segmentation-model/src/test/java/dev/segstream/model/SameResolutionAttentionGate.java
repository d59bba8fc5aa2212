package dev.segstream.model;

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
 * TEST SCOPE, for side-by-side measurements only: the attention gate segstream used before
 * Oktay's grid form, kept verbatim. Additive attention gate in the common form where the
 * gating signal has already been brought to the skip's resolution:
 * {@code alpha = sigmoid(BN(psi(relu(BN(W_x x) + BN(W_g g)))))}, output {@code x * alpha}.
 * Inputs {@code (x, g)} of equal height and width; outputs {@code (x * alpha, alpha)} where
 * alpha has one channel with values in [0, 1].
 */
final class SameResolutionAttentionGate extends AbstractBlock {

    private final int inter;
    private final Block wx;
    private final Block bnx;
    private final Block wg;
    private final Block bng;
    private final Block psi;
    private final Block bnPsi;

    SameResolutionAttentionGate(int interChannels) {
        super(UNetBlocks.VERSION);
        if (interChannels < 1) {
            throw new IllegalArgumentException("attention gate needs at least 1 intermediate channel");
        }
        this.inter = interChannels;
        wx = addChildBlock("w_x", UNetBlocks.conv(interChannels, 1, 1, false));
        bnx = addChildBlock("bn_x", UNetBlocks.batchNorm());
        wg = addChildBlock("w_g", UNetBlocks.conv(interChannels, 1, 1, false));
        bng = addChildBlock("bn_g", UNetBlocks.batchNorm());
        psi = addChildBlock("psi", UNetBlocks.conv(1, 1, 1, false));
        bnPsi = addChildBlock("bn_psi", UNetBlocks.batchNorm());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray g = inputs.get(1);
        NDArray a = runAndFree(bnx, ps, run(wx, ps, x, training), training);
        NDArray b = runAndFree(bng, ps, run(wg, ps, g, training), training);
        NDArray sum = a.add(b);
        a.close();
        b.close();
        NDArray s = UNetBlocks.reluAndFree(sum);
        NDArray p = runAndFree(bnPsi, ps, runAndFree(psi, ps, s, training), training);
        NDArray alpha = p.getNDArrayInternal().sigmoid();
        p.close();
        return new NDList(x.mul(alpha), alpha);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], UNetBlocks.withChannels(inputShapes[0], 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape g = inputShapes.length > 1 ? inputShapes[1] : x;
        Shape mid = UNetBlocks.withChannels(x, inter);
        wx.initialize(manager, dataType, x);
        bnx.initialize(manager, dataType, mid);
        wg.initialize(manager, dataType, g);
        bng.initialize(manager, dataType, mid);
        psi.initialize(manager, dataType, mid);
        bnPsi.initialize(manager, dataType, UNetBlocks.withChannels(x, 1));
    }
}
