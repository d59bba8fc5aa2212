package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;

/**
 * Attention U-Net (Oktay et al. 2018): the vanilla U-Net with an additive attention gate on
 * every skip, gated by the decoder feature one level coarser (before it is up-sampled), the
 * coefficients computed at that coarse scale and resampled to the skip's. {@link #attentionMaps}
 * exposes the gate coefficients at the skip's resolution.
 */
public final class AttentionUNet extends UNetBase {

    private AttentionUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), plainDownSteps(s),
                upSteps(s, level -> UNetBlocks.upAttention(s.channelsAt(level))));
    }

    static AttentionUNet of(UNetSpec spec) {
        return new AttentionUNet(spec);
    }

    /**
     * Runs the network in inference mode and returns the gate coefficient maps, index = level
     * (0 = full resolution), each {@code (N, 1, H / 2^level, W / 2^level)} with values in [0, 1],
     * attached to the input's manager. The logits are freed.
     */
    public List<NDArray> attentionMaps(ParameterStore ps, NDArray input) {
        NDArray[] alphas = new NDArray[spec().depth()];
        forward(ps, input, false, alphas).close();
        return Arrays.asList(alphas);
    }

    /** {@link #attentionMaps(ParameterStore, NDArray)} with a parameter store on the input's manager. */
    public List<NDArray> attentionMaps(NDArray input) {
        return attentionMaps(new ParameterStore(input.getManager(), false), input);
    }
}
