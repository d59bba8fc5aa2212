package dev.segstream.producer;

import dev.segstream.core.data.CamVidClasses;

/**
 * Paints the objects of a {@link RoadScene} as boxes and ellipses standing on the road, each part
 * in its object's class (a car's windows and wheels are Car, a tree's trunk is Tree).
 */
final class ScenePainter {

    private ScenePainter() {
    }

    /** Paints {@code item} over what is already on {@code c}. */
    static void paint(Canvas c, View v, RoadScene.Item item) {
        double z = item.z();
        if (z <= 0.5) {
            return;
        }
        switch (item.kind()) {
            case CAR -> car(c, v, item);
            case POLE, SIGN_POLE -> pole(c, v, item);
            case TREE -> tree(c, v, item);
            case PEDESTRIAN -> pedestrian(c, v, item);
            case BICYCLIST -> bicyclist(c, v, item);
            default -> throw new IllegalStateException("unknown kind " + item.kind());
        }
    }

    /** A world box centred laterally at {@code x}, {@code w} wide, from height {@code h0} to {@code h1}. */
    private static void box(Canvas c, View v, double x, double z, double w, double h0, double h1, int cls,
                            int colour) {
        c.box(v.column(x - w / 2, z), v.column(x + w / 2, z), v.row(h1, z), v.row(h0, z), cls, colour);
    }

    private static void ellipse(Canvas c, View v, double x, double z, double h, double rx, double ry, int cls,
                                int colour) {
        c.ellipse(v.column(x, z), v.row(h, z), v.pixels(rx, z), v.pixels(ry, z), cls, colour);
    }

    private static void car(Canvas c, View v, RoadScene.Item it) {
        int cls = CamVidClasses.CAR;
        double x = it.x();
        double z = it.z();
        box(c, v, x - 0.65, z, 0.35, 0, 0.4, cls, 0x141414);
        box(c, v, x + 0.65, z, 0.35, 0, 0.4, cls, 0x141414);
        box(c, v, x, z, 1.8, 0.28, 0.95, cls, it.colour());
        box(c, v, x, z, 1.5, 0.95, 1.45, cls, Canvas.shade(it.colour(), 0.85));
        box(c, v, x, z, 1.3, 1.0, 1.38, cls, it.colour2());
        box(c, v, x - 0.7, z, 0.25, 0.7, 0.85, cls, 0xE63C28);
        box(c, v, x + 0.7, z, 0.25, 0.7, 0.85, cls, 0xE63C28);
    }

    private static void pole(Canvas c, View v, RoadScene.Item it) {
        box(c, v, it.x(), it.z(), 0.15, 0, 6.0, CamVidClasses.POLE, it.colour());
        if (it.kind() == RoadScene.Kind.SIGN_POLE) {
            double side = Math.signum(it.x()) == 0 ? 1 : Math.signum(it.x());
            double signX = it.x() - side * 0.3;
            box(c, v, signX, it.z(), 0.7, 2.3, 3.0, CamVidClasses.SIGN_SYMBOL, it.colour2());
            box(c, v, signX, it.z(), 0.45, 2.5, 2.8, CamVidClasses.SIGN_SYMBOL, 0xF0F0F0);
        }
    }

    private static void tree(Canvas c, View v, RoadScene.Item it) {
        int cls = CamVidClasses.TREE;
        box(c, v, it.x(), it.z(), 0.3, 0, 2.4, cls, it.colour2());
        ellipse(c, v, it.x(), it.z(), 3.9, 1.6, 1.8, cls, it.colour());
        ellipse(c, v, it.x() - 0.5, it.z(), 4.4, 0.8, 0.8, cls, Canvas.shade(it.colour(), 1.2));
    }

    private static void pedestrian(Canvas c, View v, RoadScene.Item it) {
        int cls = CamVidClasses.PEDESTRIAN;
        box(c, v, it.x(), it.z(), 0.36, 0, 0.85, cls, it.colour2());
        box(c, v, it.x(), it.z(), 0.5, 0.85, 1.5, cls, it.colour());
        ellipse(c, v, it.x(), it.z(), 1.62, 0.12, 0.14, cls, 0xC8A082);
    }

    private static void bicyclist(Canvas c, View v, RoadScene.Item it) {
        int cls = CamVidClasses.BICYCLIST;
        box(c, v, it.x(), it.z(), 0.1, 0, 0.7, cls, it.colour2());
        box(c, v, it.x(), it.z(), 0.34, 0.7, 1.05, cls, 0x283246);
        box(c, v, it.x(), it.z(), 0.46, 1.05, 1.6, cls, it.colour());
        ellipse(c, v, it.x(), it.z(), 1.73, 0.13, 0.15, cls, 0xC8A082);
    }
}
