package dev.segstream.core.model;

/** Builds the block a {@link UNetSpec} describes. */
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
