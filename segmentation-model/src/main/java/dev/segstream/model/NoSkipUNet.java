package dev.segstream.model;


/**
 * The vanilla U-Net without skip connections: a plain encoder-decoder, the ablation baseline
 * that shows what the skips buy.
 */
public final class NoSkipUNet extends UNetBase {

    private NoSkipUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), plainDownSteps(s),
                upSteps(s, level -> UNetBlocks.upNoSkip(s.channelsAt(level))));
    }

    static NoSkipUNet of(UNetSpec spec) {
        return new NoSkipUNet(spec);
    }
}
