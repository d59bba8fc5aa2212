package dev.segstream.core.model;


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
        public NoSkipUNet build() {
            return new NoSkipUNet(spec(UNetVariant.NOSKIP));
        }
    }
}
