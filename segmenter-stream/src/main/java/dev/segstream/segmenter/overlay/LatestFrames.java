package dev.segstream.segmenter.overlay;

import dev.segstream.core.wire.ClassMask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The overlay page's in-memory view: per camera its latest few segmented frames and its recent
 * mask rate. Bounded: at most {@code maxCameras} cameras (the one updated longest ago is dropped
 * first) and {@value #HISTORY} frames each. Written by every stream thread, read by the web
 * server; the lock is held only to swap references, never for I/O or encoding.
 */
public final class LatestFrames {

    /**
     * Frames kept per camera: a page announced frame N fetches it a moment later, when N+1 may
     * already be in; a few frames of slack keep that fetch from missing.
     */
    static final int HISTORY = 4;
    /** Frames/s is measured over the masks of this last stretch of time. */
    private static final long RATE_WINDOW_MS = 5_000;
    private static final int RATE_SAMPLES = 32;

    private final int maxCameras;
    private final LinkedHashMap<String, Camera> cameras = new LinkedHashMap<>();
    private long seq;

    /** One camera's recent frames and mask times. */
    private static final class Camera {
        final ArrayDeque<CameraFrame> recent = new ArrayDeque<>(HISTORY);
        final ArrayDeque<Long> maskTimes = new ArrayDeque<>(RATE_SAMPLES);
    }

    /** A camera's latest frame with its mask rate, as the page lists it. */
    public record Entry(CameraFrame frame, double fps) {
    }

    public LatestFrames(int maxCameras) {
        if (maxCameras < 1) {
            throw new IllegalArgumentException("maxCameras must be at least 1, got " + maxCameras);
        }
        this.maxCameras = maxCameras;
    }

    /** Records that {@code camera}'s frame got its mask at {@code maskAtMs}; returns what was kept. */
    public synchronized CameraFrame record(String camera, String frameId, byte[] image, ClassMask mask,
                                           String variant, String version, long latencyMs, long maskAtMs) {
        String key = camera == null ? "unkeyed" : camera;
        Camera c = cameras.remove(key);
        if (c == null) {
            c = new Camera();
        }
        // re-inserted last: iteration order is oldest update first, which is what eviction drops
        cameras.put(key, c);
        if (cameras.size() > maxCameras) {
            Iterator<String> oldest = cameras.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        CameraFrame f = new CameraFrame(key, ++seq, frameId, image, mask, variant, version, latencyMs, maskAtMs);
        if (c.recent.size() == HISTORY) {
            c.recent.removeFirst();
        }
        c.recent.addLast(f);
        if (c.maskTimes.size() == RATE_SAMPLES) {
            c.maskTimes.removeFirst();
        }
        c.maskTimes.addLast(maskAtMs);
        return f;
    }

    /** Each camera's latest frame, by camera id. */
    public synchronized List<Entry> latest(long nowMs) {
        List<Entry> out = new ArrayList<>(cameras.size());
        cameras.values().forEach(c -> out.add(new Entry(c.recent.getLast(), fps(c, nowMs))));
        out.sort(Comparator.comparing(e -> e.frame().camera()));
        return out;
    }

    /** Frame number {@code seq} (of whichever camera), while it is among the kept ones. */
    public synchronized Optional<CameraFrame> find(long seq) {
        for (Camera c : cameras.values()) {
            for (CameraFrame f : c.recent) {
                if (f.seq() == seq) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** Sequence number of the latest update, 0 before any: changes exactly when the view does. */
    public synchronized long lastSeq() {
        return seq;
    }

    /** Masks per second over the last {@value #RATE_WINDOW_MS} ms up to {@code nowMs}; 0 below two masks. */
    private static double fps(Camera c, long nowMs) {
        long first = -1;
        int n = 0;
        for (long t : c.maskTimes) {
            if (nowMs - t <= RATE_WINDOW_MS) {
                first = first < 0 ? t : first;
                n++;
            }
        }
        long span = c.maskTimes.getLast() - first;
        return n < 2 || span <= 0 ? 0 : (n - 1) * 1000.0 / span;
    }
}
