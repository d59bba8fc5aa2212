package dev.segstream.core.data;

import java.util.List;

/** The 11 CamVid classes (SegNet version) plus void, with SegNet's display colours. */
public final class CamVidClasses {

    /** Number of predicted classes. */
    public static final int COUNT = 11;
    /** Label of unlabelled pixels, ignored in loss and metrics. */
    public static final int VOID = 11;

    public static final int SKY = 0;
    public static final int BUILDING = 1;
    public static final int POLE = 2;
    public static final int ROAD = 3;
    public static final int PAVEMENT = 4;
    public static final int TREE = 5;
    public static final int SIGN_SYMBOL = 6;
    public static final int FENCE = 7;
    public static final int CAR = 8;
    public static final int PEDESTRIAN = 9;
    public static final int BICYCLIST = 10;

    /** Class names by index, void last. */
    public static final List<String> NAMES = List.of("Sky", "Building", "Pole", "Road", "Pavement", "Tree",
            "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist", "Unlabelled");

    private static final int[][] COLOURS = {
        {128, 128, 128}, {128, 0, 0}, {192, 192, 128}, {128, 64, 128}, {60, 40, 222}, {128, 128, 0},
        {192, 128, 128}, {64, 64, 128}, {64, 0, 128}, {64, 64, 0}, {0, 128, 192}, {0, 0, 0},
    };

    private CamVidClasses() {
    }

    /** Display colour of class {@code index} as 0xRRGGBB (void and unknown indices are black). */
    public static int colour(int index) {
        int[] c = index >= 0 && index < COLOURS.length ? COLOURS[index] : COLOURS[VOID];
        return c[0] << 16 | c[1] << 8 | c[2];
    }
}
