package dev.segstream.model;


/**
 * Vanilla U-Net (Ronneberger, Fischer, Brox 2015): double 3x3 conv levels, max-pool down,
 * upsample + 3x3 conv up (DJL lacks transposed convolution), skips concatenated. BatchNorm added.
 */
public final class VanillaUNet extends UNetBase {

    private VanillaUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), plainDownSteps(s),
                upSteps(s, level -> UNetBlocks.up(s.channelsAt(level))));
    }

    static VanillaUNet of(UNetSpec spec) {
        return new VanillaUNet(spec);
    }
}
