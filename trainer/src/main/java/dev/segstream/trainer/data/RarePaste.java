package dev.segstream.trainer.data;

import dev.segstream.core.data.CamVidClasses;
import java.util.Random;

/**
 * Class-aware copy-paste (after Ghiasi et al. 2021, "Simple Copy-Paste"), for the thin classes
 * that class-averaged mIoU is won or lost on and that plain training at 128x96 leaves near zero:
 * a frame drawn for it receives, at the same place, every pixel of another training frame whose
 * label is one of {@link #CLASSES} (Pole, SignSymbol, Fence, Pedestrian, Bicyclist), image and
 * label together, so labels stay exact. The pasted pixels go through the receiving frame's flip
 * and zoom (they stay where they are in its view) but not through its colour jitter.
 *
 * <p>Unlike class weights, which buy the thin classes with the big ones' loss, this adds thin-class
 * examples in new surroundings and leaves the loss as it is.
 */
public final class RarePaste {

    /** The classes pasted. */
    static final int[] CLASSES = {CamVidClasses.POLE, CamVidClasses.SIGN_SYMBOL, CamVidClasses.FENCE,
        CamVidClasses.PEDESTRIAN, CamVidClasses.BICYCLIST};

    private static final boolean[] PASTED = new boolean[256];

    static {
        for (int c : CLASSES) {
            PASTED[c] = true;
        }
    }

    private RarePaste() {
    }

    /** Whether pixels labelled {@code label} (a byte as stored) are pasted. */
    static boolean pasted(byte label) {
        return PASTED[label & 0xff];
    }

    /**
     * For each position of an epoch's {@code order} (a permutation of the frames), the frame whose
     * thin-class pixels are pasted onto the frame there, or -1: each position with probability
     * {@code probability}, from another frame.
     * {@code null}, drawing nothing from {@code rng}, when {@code probability} is 0, so runs without
     * pasting shuffle and augment exactly as before it existed.
     */
    public static int[] draw(double probability, int[] order, Random rng) {
        int frames = order.length;
        if (probability <= 0 || frames < 2) {
            return null;
        }
        int[] from = new int[frames];
        for (int k = 0; k < frames; k++) {
            from[k] = -1;
            if (rng.nextDouble() < probability) {
                int source = rng.nextInt(frames - 1);
                from[k] = source >= order[k] ? source + 1 : source; // any frame but the receiving one
            }
        }
        return from;
    }
}
