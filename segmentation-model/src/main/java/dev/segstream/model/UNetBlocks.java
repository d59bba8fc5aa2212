package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

/**
 * Factories for the blocks the U-Net variants are built from. Every block takes NCHW float32
 * tensors and returns NCHW tensors; spatial sizes are preserved except by {@link #down} (halves)
 * and the {@code up} blocks (double).
 *
 * <p>Blocks free the intermediate arrays they create as soon as they are consumed (closing a
 * handle never frees storage that PyTorch's autograd graph still holds), so inference memory
 * stays near PyTorch eager's. They never close their inputs.
 */
public final class UNetBlocks {

    /** Parameter-file version of every segstream block. */
    static final byte VERSION = 1;

    private UNetBlocks() {
    }

    /** 3x3 conv + BatchNorm + ReLU, twice, to {@code out} channels. */
    public static DoubleConv doubleConv(int out) {
        return new DoubleConv(out);
    }

    /** 2x2 max-pool (stride 2) then {@link #doubleConv}. */
    public static DownBlock down(int out) {
        return new DownBlock(doubleConv(out));
    }

    /**
     * Decoder step with a skip: 2x nearest upsample, 3x3 conv (+BN+ReLU) to {@code out}, concat
     * with the skip (input 1), then {@link #doubleConv}. Inputs: {@code (x, skip)}.
     */
    public static UpBlock up(int out) {
        return new UpBlock(out, true, UpBlock.Mode.CONCAT, null, doubleConv(out));
    }

    /** Decoder step without a skip: 2x upsample, 3x3 conv (+BN+ReLU), {@link #doubleConv}. Input: {@code (x)}. */
    public static UpBlock upNoSkip(int out) {
        return new UpBlock(out, true, UpBlock.Mode.NO_SKIP, null, doubleConv(out));
    }

    /**
     * Decoder step whose skip ({@code out} channels) passes an {@link AttentionGate} gated by
     * {@code x}, the decoder feature at the coarser scale before upsampling (Oktay 2018), with
     * {@code out / 2} intermediate channels; then as {@link #up}. Inputs: {@code (x, skip)};
     * outputs: {@code (y, alpha)}, alpha at the skip's resolution.
     */
    public static UpBlock upAttention(int out) {
        return new UpBlock(out, true, UpBlock.Mode.CONCAT, attentionGate(out, Math.max(1, out / 2)), doubleConv(out));
    }

    /**
     * ResUNet decoder step (Zhang 2018): 2x upsample, concat with the skip, residual unit with a
     * projection shortcut from {@code in} to {@code out} channels (in = up-sampled + skip channels).
     */
    public static UpBlock upResidual(int in, int out) {
        return new UpBlock(out, false, UpBlock.Mode.CONCAT, null, residualUnit(in, out, 1));
    }

    /**
     * Additive attention gate (Oktay 2018) on a skip {@code x} of {@code skipChannels} channels
     * gated by {@code g} at half its height and width: coefficients
     * {@code sigmoid(psi(relu(theta x + phi g)))} at g's scale (theta a 2x2 stride-2 conv),
     * resampled bilinearly to x's size; output {@code BN(W (x * alpha))}. Inputs: {@code (x, g)};
     * outputs: {@code (y, alpha)}.
     */
    public static AttentionGate attentionGate(int skipChannels, int interChannels) {
        return new AttentionGate(skipChannels, interChannels, AttentionGate.Resample.BILINEAR);
    }

    /** Pre-activation residual unit with an identity shortcut (input must have {@code out} channels). */
    public static ResidualUnit residualUnit(int out) {
        return new ResidualUnit(out, out, 1, true);
    }

    /**
     * Pre-activation residual unit (Zhang 2018): BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3 plus an
     * identity shortcut, or a 1x1 conv + BN projection when {@code in != out} or {@code stride != 1}.
     */
    public static ResidualUnit residualUnit(int in, int out, int stride) {
        return new ResidualUnit(in, out, stride, true);
    }

    /** ResUNet's first unit: conv-BN-ReLU-conv on the raw input plus a projection shortcut. */
    public static ResidualUnit residualStem(int in, int out) {
        return new ResidualUnit(in, out, 1, false);
    }

    /** A {@code k x k} convolution with "same" padding. */
    public static Conv2d conv(int out, int k, int stride, boolean bias) {
        return Conv2d.builder()
                .setKernelShape(new Shape(k, k))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(k / 2, k / 2))
                .setFilters(out)
                .optBias(bias)
                .build();
    }

    /** BatchNorm over the channel axis. */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optAxis(1).build();
    }

    /** 2x nearest-neighbour upsampling of an NCHW tensor (one native op). */
    public static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, 0, false);
    }

    /** Runs a single-input, single-output block. */
    static NDArray run(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).head();
    }

    /** Runs a block, then frees its input (an intermediate the caller created). */
    static NDArray runAndFree(Block block, ParameterStore ps, NDArray x, boolean training) {
        NDArray y = run(block, ps, x, training);
        x.close();
        return y;
    }

    /** ReLU, then frees the input. */
    static NDArray reluAndFree(NDArray x) {
        NDArray y = x.getNDArrayInternal().relu();
        x.close();
        return y;
    }

    /** Output shape of a conv with "same" padding and the given stride. */
    static Shape convShape(Shape in, int out, int stride) {
        return new Shape(in.get(0), out, (in.get(2) + stride - 1) / stride, (in.get(3) + stride - 1) / stride);
    }

    static Shape withChannels(Shape in, long channels) {
        return new Shape(in.get(0), channels, in.get(2), in.get(3));
    }
}
