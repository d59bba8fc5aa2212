package dev.segstream.core.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The vanilla U-Net without skip connections: a plain encoder-decoder, the ablation baseline
 * that shows what the skips buy.
 */
public final class NoSkipUNet extends UNetBase {

    private NoSkipUNet(UNetSpec s) {
        super(s, UNetBlocks.doubleConv(s.channelsAt(0)), downs(s), ups(s));
    }

    static NoSkipUNet of(UNetSpec spec) {
        return new NoSkipUNet(spec);
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
            out.add(UNetBlocks.upNoSkip(s.channelsAt(level)));
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
        public NoSkipUNet build() {
            return new NoSkipUNet(spec(UNetVariant.NOSKIP));
        }
    }
}
