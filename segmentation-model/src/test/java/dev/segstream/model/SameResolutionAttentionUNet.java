package dev.segstream.model;

/**
 * TEST SCOPE, for side-by-side measurements only: the attention U-Net as segstream built it
 * before Oktay's grid gate, each skip gated by the up-sampled, convolved decoder signal through
 * a {@link SameResolutionAttentionGate}.
 */
final class SameResolutionAttentionUNet extends UNetBase {

    SameResolutionAttentionUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), plainDownSteps(s), upSteps(s, level -> {
            int out = s.channelsAt(level);
            return new UpBlock(out, true, UpBlock.Mode.CONCAT, new SameResolutionAttentionGate(Math.max(1, out / 2)),
                    true, UNetBlocks.doubleConv(out));
        }));
    }
}
