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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Additive attention gate in the form of Oktay et al. 2018, "Attention U-Net" (their
 * {@code GridAttentionBlock2D}): the skip {@code x} is brought down to the gating signal's coarser
 * scale instead of the gating signal being brought up, so the coefficients are computed where the
 * decoder's context lives and cost a quarter of the pixels:
 * <pre>
 *   theta = W_theta x      2x2 conv, stride 2, no bias        (N, inter, H/2, W/2)
 *   phi   = W_phi g        1x1 conv with bias, g at H/2 x W/2 (N, inter, H/2, W/2)
 *   q     = sigmoid(psi(relu(theta + phi)))   1x1 conv with bias to 1 channel, coarse scale
 *   alpha = resample(q) to H x W (bilinear by default)
 *   y     = BN(W (x * alpha))   output transform: 1x1 conv + BatchNorm
 * </pre>
 * Inputs {@code (x, g)} with {@code g} at half {@code x}'s height and width (x's sides even);
 * outputs {@code (y, alpha)} with {@code y} shaped like {@code x} and alpha {@code (N, 1, H, W)}
 * in [0, 1].
 */
public final class AttentionGate extends AbstractBlock {

    /** How the coarse coefficients are brought back to the skip's resolution. */
    public enum Resample {
        /**
         * Bilinear, corners not aligned (Oktay's reference). DJL numbers its modes as
         * {@code ai.djl.modality.cv.Image.Interpolation} does (0 nearest, 1 bilinear, 2 area, 3
         * bicubic) and maps them to PyTorch's; its 2 is area, which up-samples like nearest.
         */
        BILINEAR(1),
        /** Nearest neighbour (each coarse coefficient covers a 2x2 block). */
        NEAREST(0);

        private final int djlMode;

        Resample(int djlMode) {
            this.djlMode = djlMode;
        }
    }

    private final int channels;
    private final int inter;
    private final Resample resample;
    private final Block theta;
    private final Block phi;
    private final Block psi;
    private final Block w;
    private final Block bnW;

    AttentionGate(int skipChannels, int interChannels, Resample resample) {
        super(UNetBlocks.VERSION);
        if (skipChannels < 1 || interChannels < 1) {
            throw new IllegalArgumentException("attention gate needs at least 1 skip and 1 intermediate channel, got "
                    + skipChannels + " and " + interChannels);
        }
        this.channels = skipChannels;
        this.inter = interChannels;
        this.resample = resample;
        theta = addChildBlock("theta", Conv2d.builder().setKernelShape(new Shape(2, 2)).optStride(new Shape(2, 2))
                .optPadding(new Shape(0, 0)).setFilters(interChannels).optBias(false).build());
        phi = addChildBlock("phi", UNetBlocks.conv(interChannels, 1, 1, true));
        psi = addChildBlock("psi", UNetBlocks.conv(1, 1, 1, true));
        // the output conv needs no bias: the BatchNorm after it has one
        w = addChildBlock("w", UNetBlocks.conv(skipChannels, 1, 1, false));
        bnW = addChildBlock("bn_w", UNetBlocks.batchNorm());
    }

    /** How this gate resamples its coefficients. */
    public Resample resample() {
        return resample;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray g = inputs.get(1);
        checkShapes(x.getShape(), g.getShape());
        NDArray a = run(theta, ps, x, training);
        NDArray b = run(phi, ps, g, training);
        NDArray sum = a.add(b);
        a.close();
        b.close();
        NDArray p = runAndFree(psi, ps, UNetBlocks.reluAndFree(sum), training);
        NDArray coarse = p.getNDArrayInternal().sigmoid();
        p.close();
        Shape s = x.getShape();
        NDArray alpha = coarse.getNDArrayInternal().interpolation(new long[] {s.get(2), s.get(3)}, resample.djlMode,
                false);
        coarse.close();
        NDArray gated = x.mul(alpha);
        NDArray y = runAndFree(bnW, ps, runAndFree(w, ps, gated, training), training);
        return new NDList(y, alpha);
    }

    private void checkShapes(Shape x, Shape g) {
        if (x.get(1) != channels) {
            throw new IllegalArgumentException("attention gate built for " + channels + " skip channels got skip " + x);
        }
        if (x.get(2) % 2 != 0 || x.get(3) % 2 != 0 || g.get(2) * 2 != x.get(2) || g.get(3) * 2 != x.get(3)) {
            throw new IllegalArgumentException("attention gate needs a skip of even sides and a gating signal at"
                    + " half its size, got skip " + x + " and gating " + g);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], UNetBlocks.withChannels(inputShapes[0], 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape g = inputShapes[1];
        checkShapes(x, g);
        theta.initialize(manager, dataType, x);
        phi.initialize(manager, dataType, g);
        psi.initialize(manager, dataType, UNetBlocks.withChannels(g, inter));
        w.initialize(manager, dataType, x);
        bnW.initialize(manager, dataType, x);
    }
}
