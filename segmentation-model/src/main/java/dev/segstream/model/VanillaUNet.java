package dev.segstream.core.model;


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

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setClasses} required; {@code optDepth} default 4, {@code optFilters} default 16. */
    public static final class Builder extends BaseBuilder<Builder> {
        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Validates the settings and builds the (uninitialised) block. */
        public VanillaUNet build() {
            return new VanillaUNet(spec(UNetVariant.VANILLA));
        }
    }
}
