package dev.segstream.model;

/**
 * The shape of a U-Net: enough to rebuild its block before loading parameters.
 *
 * @param variant which U-Net
 * @param depth   number of 2x down-sampling steps (1..6)
 * @param filters filters of the first level, doubling per level (1..256)
 * @param classes output classes (1..256: masks are unsigned bytes)
 */
public record UNetSpec(UNetVariant variant, int depth, int filters, int classes) {

    public static final int DEFAULT_DEPTH = 4;
    public static final int DEFAULT_FILTERS = 16;
    public static final int MAX_DEPTH = 6;
    public static final int MAX_FILTERS = 256;
    public static final int MAX_CLASSES = 256;

    public UNetSpec {
        if (variant == null) {
            throw new IllegalArgumentException("variant is required; valid variants: " + UNetVariant.validNames());
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be in [1, " + MAX_DEPTH + "], got " + depth);
        }
        if (filters < 1 || filters > MAX_FILTERS) {
            throw new IllegalArgumentException("filters must be in [1, " + MAX_FILTERS + "], got " + filters);
        }
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in [1, " + MAX_CLASSES + "], got " + classes);
        }
    }

    /** Default depth and filters. */
    public static UNetSpec of(UNetVariant variant, int classes) {
        return new UNetSpec(variant, DEFAULT_DEPTH, DEFAULT_FILTERS, classes);
    }

    /** The spec a descriptor describes. */
    public static UNetSpec of(ModelDescriptor d) {
        return new UNetSpec(UNetVariant.parse(d.variant()), d.depth(), d.filters(), d.classes());
    }

    /** Input sides must be a multiple of this. */
    public int sizeMultiple() {
        return 1 << depth;
    }

    /** Channels at encoder level {@code level} (0 = full resolution). */
    public int channelsAt(int level) {
        return filters << level;
    }
}
