package dev.segstream.model;

/**
 * The one way to build a U-Net: the block a {@link UNetSpec} describes, composed from
 * {@link UNetBlocks}. Every caller (training, artifacts, the segmenter, tests) goes through it.
 */
public final class UNetFactory {

    private UNetFactory() {
    }

    /** A new, uninitialised U-Net block. */
    public static UNetBase create(UNetSpec spec) {
        return switch (spec.variant()) {
            case VANILLA -> VanillaUNet.of(spec);
            case NOSKIP -> NoSkipUNet.of(spec);
            case RESIDUAL -> ResidualUNet.of(spec);
            case ATTENTION -> AttentionUNet.of(spec);
        };
    }
}
