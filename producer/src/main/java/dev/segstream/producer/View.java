package dev.segstream.producer;

/**
 * Pinhole projection of the synthetic street onto a frame: world (x, height, depth z) in metres
 * to fractional pixel coordinates.
 *
 * @param cx           column of the optical axis
 * @param focal        focal length in pixels
 * @param horizon      row of the horizon
 * @param cameraHeight camera height above the road, metres
 */
record View(double cx, double focal, double horizon, double cameraHeight) {

    /** Column of lateral position {@code x} at depth {@code z}. */
    double column(double x, double z) {
        return cx + focal * x / z;
    }

    /** Row of height {@code h} above the road at depth {@code z}. */
    double row(double h, double z) {
        return horizon + focal * (cameraHeight - h) / z;
    }

    /** Pixels spanned by {@code metres} at depth {@code z}. */
    double pixels(double metres, double z) {
        return focal * metres / z;
    }
}
