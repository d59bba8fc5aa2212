package dev.segstream.producer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded world of one synthetic camera, in metres: the camera sits at lateral position 0 and
 * height {@link #cameraHeight} looking along +Z down a straight street. The street repeats every
 * {@link #WORLD_PERIOD} metres; the camera's own car advances {@link #egoSpeed} metres per frame
 * and other traffic moves relative to it, so the frame index alone fixes every position.
 */
final class RoadScene {

    /** Length of the repeating street, metres. */
    static final double WORLD_PERIOD = 240;
    /** Length of the loop along which moving traffic wraps, metres ahead of {@link #TRAFFIC_NEAR}. */
    static final double TRAFFIC_PERIOD = 66;
    /** Nearest distance of moving traffic, metres. */
    static final double TRAFFIC_NEAR = 3;
    /** Nearest distance of roadside objects, metres. */
    static final double PROP_NEAR = 1;

    /** Kinds of objects standing in the street. */
    enum Kind { CAR, POLE, SIGN_POLE, TREE, PEDESTRIAN, BICYCLIST }

    /** An object at a camera-relative depth {@code z}; colours are 0xRRGGBB. */
    record Item(Kind kind, double x, double z, int colour, int colour2) {
    }

    /** A building front: from {@code start} (world Z within the period) up to the next one. */
    record Facade(double start, double height, int colour) {
    }

    /** A fence stretch along one side, world Z [from, to) within the period. */
    record Fence(double from, double to, double height, int colour) {
    }

    private record Placement(Kind kind, double x, double z0, double speed, double near, double period,
                             int colour, int colour2) {
    }

    private static final int[] FACADE_COLOURS = {0x8C6E5A, 0xA08C78, 0x7A7A80, 0x96503C, 0xB4AA96, 0x6E645A};
    private static final int[] CAR_COLOURS = {0xB41E1E, 0x1E3C8C, 0xDCDCDC, 0x282828, 0x3C6E3C, 0xC8A032, 0x7896B4};
    private static final int[] CLOTHES = {0x283C78, 0x782828, 0x323232, 0xB4B4AA, 0x5A4632, 0x2D6E5A};

    final double horizonFraction;
    final double focalFactor;
    final double cameraHeight;
    final double roadCentre;
    final double roadHalfWidth;
    final double pavementWidth;
    final double egoSpeed;
    final double leftFacadeX;
    final double rightFacadeX;
    final int skyTop;
    final int skyHorizon;
    final int asphalt;
    final int pavement;
    final long textureSalt;
    private final List<List<Facade>> facades = new ArrayList<>();
    private final List<List<Fence>> fences = new ArrayList<>();
    private final double[] skyline;
    private final List<Placement> placements = new ArrayList<>();

    RoadScene(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        horizonFraction = r.nextDouble(0.36, 0.48);
        focalFactor = r.nextDouble(0.85, 1.0);
        cameraHeight = r.nextDouble(1.4, 1.7);
        roadCentre = r.nextDouble(-1.5, 1.5);
        roadHalfWidth = r.nextDouble(3.5, 5.5);
        pavementWidth = r.nextDouble(1.8, 3.2);
        egoSpeed = r.nextDouble() < 0.3 ? 0 : r.nextDouble(0.3, 1.2);
        leftFacadeX = roadCentre - roadHalfWidth - pavementWidth;
        rightFacadeX = roadCentre + roadHalfWidth + pavementWidth;
        boolean overcast = r.nextDouble() < 0.35;
        skyTop = overcast ? grey(r.nextInt(150, 185)) : rgb(r.nextInt(50, 90), r.nextInt(95, 130), r.nextInt(170, 215));
        skyHorizon = overcast ? grey(r.nextInt(195, 225)) : rgb(r.nextInt(170, 205), r.nextInt(190, 215), r.nextInt(210, 235));
        asphalt = grey(r.nextInt(70, 105));
        pavement = rgb(r.nextInt(140, 175), r.nextInt(130, 160), r.nextInt(120, 150));
        textureSalt = r.nextLong();
        for (int side = 0; side < 2; side++) {
            List<Facade> fronts = new ArrayList<>();
            for (double z = 0; z < WORLD_PERIOD; z += r.nextDouble(8, 22)) {
                int base = FACADE_COLOURS[r.nextInt(FACADE_COLOURS.length)];
                fronts.add(new Facade(z, r.nextDouble(4, 22), Canvas.shade(base, r.nextDouble(0.8, 1.2))));
            }
            facades.add(fronts);
            List<Fence> stretch = new ArrayList<>();
            for (int k = r.nextInt(0, 3); k > 0; k--) {
                double from = r.nextDouble(0, WORLD_PERIOD - 40);
                stretch.add(new Fence(from, from + r.nextDouble(10, 40), r.nextDouble(0.9, 1.5),
                        rgb(r.nextInt(70, 130), r.nextInt(60, 110), r.nextInt(50, 90))));
            }
            fences.add(stretch);
        }
        skyline = new double[64];
        for (int i = 0; i < skyline.length; i++) {
            skyline[i] = r.nextDouble(0.01, 0.07);
        }
        placeProps(r);
        placeTraffic(r);
    }

    private void placeProps(SplittableRandom r) {
        for (double z = r.nextDouble(0, 10); z < WORLD_PERIOD; z += r.nextDouble(18, 35)) {
            double side = r.nextBoolean() ? 1 : -1;
            Kind kind = r.nextDouble() < 0.4 ? Kind.SIGN_POLE : Kind.POLE;
            int sign = r.nextBoolean() ? 0xC81E1E : 0x1E50B4;
            placements.add(prop(kind, roadCentre + side * (roadHalfWidth + 0.4), z, 0, 0xB4B4A0, sign));
        }
        for (int side = -1; side <= 1; side += 2) {
            if (r.nextDouble() < 0.7) {
                for (double z = r.nextDouble(0, 15); z < WORLD_PERIOD; z += r.nextDouble(9, 25)) {
                    int leaves = rgb(r.nextInt(40, 90), r.nextInt(90, 140), r.nextInt(30, 70));
                    placements.add(prop(Kind.TREE, roadCentre + side * (roadHalfWidth + pavementWidth * 0.65), z,
                            0, leaves, 0x5A4128));
                }
            }
        }
        if (roadHalfWidth >= 4.5) {
            for (double z = r.nextDouble(5, 30); z < WORLD_PERIOD; z += r.nextDouble(6, 40)) {
                placements.add(prop(Kind.CAR, roadCentre + roadHalfWidth - 1.0, z, 0, carColour(r), 0x1E232D));
            }
        }
        for (int k = r.nextInt(0, 4); k > 0; k--) {
            double side = r.nextBoolean() ? 1 : -1;
            placements.add(prop(Kind.PEDESTRIAN, roadCentre + side * (roadHalfWidth + pavementWidth * 0.35),
                    r.nextDouble(0, WORLD_PERIOD), r.nextDouble(-0.12, 0.12),
                    CLOTHES[r.nextInt(CLOTHES.length)], CLOTHES[r.nextInt(CLOTHES.length)]));
        }
    }

    private void placeTraffic(SplittableRandom r) {
        double sameDirection = (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.25, 0.7);
        double oncoming = -(egoSpeed + r.nextDouble(0.6, 1.4));
        double lane = Math.min(roadHalfWidth * 0.3, 1.6);
        for (int k = 0; k < 3; k++) {
            double spacing = TRAFFIC_PERIOD / 3;
            placements.add(new Placement(Kind.CAR, roadCentre + lane, k * spacing + r.nextDouble(0, 5),
                    sameDirection, TRAFFIC_NEAR, TRAFFIC_PERIOD, carColour(r), 0x1E232D));
            placements.add(new Placement(Kind.CAR, roadCentre - lane, k * spacing + r.nextDouble(0, 5),
                    oncoming, TRAFFIC_NEAR, TRAFFIC_PERIOD, carColour(r), 0x1E232D));
        }
        if (r.nextBoolean()) {
            placements.add(new Placement(Kind.BICYCLIST, roadCentre + roadHalfWidth - 0.6,
                    r.nextDouble(0, TRAFFIC_PERIOD), r.nextDouble(0.2, 0.5) - egoSpeed, TRAFFIC_NEAR, TRAFFIC_PERIOD,
                    CLOTHES[r.nextInt(CLOTHES.length)], 0x2D2D2D));
        }
    }

    private Placement prop(Kind kind, double x, double z, double worldSpeed, int colour, int colour2) {
        return new Placement(kind, x, z, worldSpeed - egoSpeed, PROP_NEAR, WORLD_PERIOD, colour, colour2);
    }

    /** Every object at frame {@code index}, farthest first (the painter's order). */
    List<Item> items(long index) {
        List<Item> out = new ArrayList<>(placements.size());
        for (Placement p : placements) {
            double z = p.near() + Math.floorMod(Math.round((p.z0() + p.speed() * index - p.near()) * 1000),
                    Math.round(p.period() * 1000)) / 1000.0;
            out.add(new Item(p.kind(), p.x(), z, p.colour(), p.colour2()));
        }
        out.sort(Comparator.comparingDouble(Item::z).reversed());
        return out;
    }

    /** The building front on a side (-1 left, +1 right) at world depth {@code zWorld}. */
    Facade facadeAt(int side, double zWorld) {
        List<Facade> fronts = facades.get(side < 0 ? 0 : 1);
        double m = Math.floorMod(Math.round(zWorld * 100), Math.round(WORLD_PERIOD * 100)) / 100.0;
        Facade hit = fronts.get(0);
        for (Facade f : fronts) {
            if (f.start() > m) {
                break;
            }
            hit = f;
        }
        return hit;
    }

    /** The fence on a side at world depth {@code zWorld}, or {@code null}. */
    Fence fenceAt(int side, double zWorld) {
        double m = Math.floorMod(Math.round(zWorld * 100), Math.round(WORLD_PERIOD * 100)) / 100.0;
        for (Fence f : fences.get(side < 0 ? 0 : 1)) {
            if (m >= f.from() && m < f.to()) {
                return f;
            }
        }
        return null;
    }

    /** Angular height above the horizon of the distant skyline in lateral direction {@code slope}. */
    double skylineAngle(double slope) {
        int bin = (int) Math.floorMod((long) Math.floor(slope * 40), (long) skyline.length);
        return skyline[bin];
    }

    private static int carColour(SplittableRandom r) {
        return Canvas.shade(CAR_COLOURS[r.nextInt(CAR_COLOURS.length)], r.nextDouble(0.85, 1.15));
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    private static int grey(int v) {
        return rgb(v, v, v);
    }
}
