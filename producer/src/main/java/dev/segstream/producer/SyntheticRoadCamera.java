package dev.segstream.producer;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;

/**
 * A deterministic synthetic road-scene camera: frames of any size with their exact ground-truth
 * mask in the 11 CamVid classes.
 *
 * <p>The scene (see {@code RoadScene}) is a straight street in perspective: a sky gradient with
 * clouds, building fronts along both sides and a distant skyline, a road with dashed centre and
 * solid edge lines (class Road), pavements, fences, poles (some with signs), trees, parked and
 * moving cars, pedestrians and bicyclists. Each pixel is ray-cast against the ground, fences and
 * building fronts, then objects are painted far to near; every write sets the colour and the
 * class together, so the mask is exact. The seed fixes the scene, the frame index fixes time:
 * the same seed and index always give identical bytes, consecutive indices look like video.
 * Instances are immutable and thread-safe.
 */
public final class SyntheticRoadCamera {

    /** Default frame width. */
    public static final int DEFAULT_WIDTH = 128;
    /** Default frame height. */
    public static final int DEFAULT_HEIGHT = 96;

    private static final double FAR = 400;
    private static final double FENCE_INSET = 0.2;
    private static final int NOISE = 5;

    /**
     * One rendered frame.
     *
     * @param index frame index (time)
     * @param image the pixels
     * @param mask  the exact class of every pixel, values 0..10
     */
    public record Frame(long index, RgbImage image, ClassMask mask) {
    }

    private final long seed;
    private final int width;
    private final int height;
    private final RoadScene scene;

    /** A camera of the default size, 128x96. */
    public SyntheticRoadCamera(long seed) {
        this(seed, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** A camera producing {@code width x height} frames of the scene fixed by {@code seed}. */
    public SyntheticRoadCamera(long seed, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        this.seed = seed;
        this.width = width;
        this.height = height;
        this.scene = new RoadScene(seed);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** Frame width. */
    public int width() {
        return width;
    }

    /** Frame height. */
    public int height() {
        return height;
    }

    /** Frame {@code index} at this camera's size. */
    public Frame frame(long index) {
        return frame(index, width, height);
    }

    /** Frame {@code index} at any size: the same scene and moment, rendered at {@code w x h}. */
    public Frame frame(long index, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + w + "x" + h);
        }
        View v = new View(w / 2.0, scene.focalFactor * w, scene.horizonFraction * h, scene.cameraHeight);
        Canvas c = new Canvas(w, h, Canvas.mix(seed * 31 + index), NOISE);
        double ego = scene.egoSpeed * index;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                background(c, v, x, y, ego);
            }
        }
        for (RoadScene.Item item : scene.items(index)) {
            ScenePainter.paint(c, v, item);
        }
        return new Frame(index, new RgbImage(w, h, c.rgb), new ClassMask(w, h, c.classes));
    }

    /** Ray-casts pixel (x, y) against fences, building fronts, the ground, the skyline and the sky. */
    private void background(Canvas c, View v, int x, int y, double ego) {
        double a = (x + 0.5 - v.cx()) / v.focal();
        double b = (y + 0.5 - v.horizon()) / v.focal();
        if (a != 0) {
            int side = a > 0 ? 1 : -1;
            double facadeX = side > 0 ? scene.rightFacadeX : scene.leftFacadeX;
            double zFence = (facadeX - side * FENCE_INSET) / a;
            RoadScene.Fence fence = zFence < FAR ? scene.fenceAt(side, zFence + ego) : null;
            double fenceH = v.cameraHeight() - b * zFence;
            if (fence != null && fenceH >= 0 && fenceH <= fence.height()) {
                boolean slat = Math.floorMod(Math.round((zFence + ego) * 10), 4) == 0;
                c.put(x, y, CamVidClasses.FENCE, fog(Canvas.shade(fence.colour(), slat ? 0.7 : 1.0), zFence));
                return;
            }
            double zWall = facadeX / a;
            double wallH = v.cameraHeight() - b * zWall;
            if (zWall < FAR && wallH >= 0) {
                RoadScene.Facade front = scene.facadeAt(side, zWall + ego);
                if (wallH <= front.height()) {
                    c.put(x, y, CamVidClasses.BUILDING, fog(facadeColour(front, zWall + ego, wallH), zWall));
                    return;
                }
                sky(c, v, x, y, a, b);
                return;
            }
        }
        if (b > 0) {
            double zGround = v.cameraHeight() / b;
            ground(c, x, y, a * zGround, zGround + ego, zGround);
            return;
        }
        sky(c, v, x, y, a, b);
    }

    private void ground(Canvas c, int x, int y, double xWorld, double zWorld, double distance) {
        double d = Math.abs(xWorld - scene.roadCentre);
        if (d <= scene.roadHalfWidth) {
            boolean dash = d < 0.1 && Math.floorMod((long) Math.floor(zWorld), 6L) < 3;
            boolean edge = d > scene.roadHalfWidth - 0.35 && d < scene.roadHalfWidth - 0.2;
            int colour = dash || edge ? 0xD7D7CD
                    : Canvas.shade(scene.asphalt, 0.92 + 0.16 * texture(xWorld * 3, zWorld * 3));
            c.put(x, y, CamVidClasses.ROAD, fog(colour, distance));
        } else if (d <= scene.roadHalfWidth + scene.pavementWidth) {
            boolean kerb = d < scene.roadHalfWidth + 0.2;
            boolean joint = Math.floorMod(Math.round(zWorld * 10), 12L) == 0;
            int colour = kerb ? 0xBEBEB4 : Canvas.shade(scene.pavement, joint ? 0.8 : 1.0);
            c.put(x, y, CamVidClasses.PAVEMENT, fog(colour, distance));
        } else {
            c.put(x, y, CamVidClasses.BUILDING, fog(0x807870, distance));
        }
    }

    private void sky(Canvas c, View v, int x, int y, double a, double b) {
        if (b < 0 && -b < scene.skylineAngle(a)) {
            c.put(x, y, CamVidClasses.BUILDING, Canvas.blend(0x7A8090, scene.skyHorizon, 0.4));
            return;
        }
        int colour = Canvas.blend(scene.skyTop, scene.skyHorizon, (y + 0.5) / Math.max(1.0, v.horizon()));
        double cloud = texture(a * 6, b * 14);
        if (cloud > 0.62) {
            colour = Canvas.blend(colour, 0xF0F0F0, (cloud - 0.62) * 2.2);
        }
        c.put(x, y, CamVidClasses.SKY, colour);
    }

    private int facadeColour(RoadScene.Facade front, double along, double up) {
        boolean window = up > 2.5 && Math.floorMod(Math.round(along * 10), 32L) >= 8
                && Math.floorMod(Math.round(up * 10), 30L) >= 10 && Math.floorMod(Math.round(up * 10), 30L) < 22;
        return window ? Canvas.blend(front.colour(), 0x283246, 0.7)
                : Canvas.shade(front.colour(), 0.94 + 0.12 * texture(along, up * 2));
    }

    /** Smooth value noise in [0, 1) anchored to world coordinates, so textures move with the scene. */
    private double texture(double u, double w) {
        long i = (long) Math.floor(u);
        long j = (long) Math.floor(w);
        double fu = u - i;
        double fw = w - j;
        double top = lerp(Canvas.lattice(scene.textureSalt, i, j), Canvas.lattice(scene.textureSalt, i + 1, j), fu);
        double bottom = lerp(Canvas.lattice(scene.textureSalt, i, j + 1),
                Canvas.lattice(scene.textureSalt, i + 1, j + 1), fu);
        return lerp(top, bottom, fw);
    }

    private int fog(int colour, double distance) {
        return Canvas.blend(colour, scene.skyHorizon, Math.min(0.6, distance / FAR));
    }

    private static double lerp(double p, double q, double t) {
        return p + (q - p) * t;
    }
}
