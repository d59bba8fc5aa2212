package dev.segstream.core.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * Vanilla U-Net (Ronneberger, Fischer, Brox 2015): double 3x3 conv levels, max-pool down,
 * upsample + 3x3 conv up (DJL lacks transposed convolution), skips concatenated. BatchNorm added.
 */
public final class VanillaUNet extends UNetBase {

    private VanillaUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), downs(s), ups(s));
    }

    static VanillaUNet of(UNetSpec spec) {
        return new VanillaUNet(spec);
    }

    private static List<Block> downs(UNetSpec s) {
        List<Block> out = new ArrayList<>();
        for (int level = 1; level <= s.depth(); level++) {
            out.add(UNetBlocks.down(s.channelsAt(level)));
        }
        return out;
    }

    private static List<UpBlock> ups(UNetSpec s) {
        List<UpBlock> out = new ArrayList<>();
        for (int level = 0; level < s.depth(); level++) {
            out.add(UNetBlocks.up(s.channelsAt(level)));
        }
        return out;
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
