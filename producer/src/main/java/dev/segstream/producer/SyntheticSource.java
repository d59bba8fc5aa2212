package dev.segstream.producer;

import dev.segstream.core.wire.ImageCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Frames of {@link SyntheticRoadCamera}s, PNG-encoded with their exact mask: camera
 * {@code synth-<i>} renders the scene of seed {@code seed + i}. Frame ids are
 * {@code synth-<i>-<index>} (index zero-padded to six digits).
 *
 * <p>A camera's sequence is {@code framesPerCamera} long, or unbounded when that is 0 (frame
 * index keeps growing, so the video never repeats). A bounded camera starts over at index 0 when
 * looping, with {@code #<pass>} appended to later ids; otherwise it ends.
 */
public final class SyntheticSource implements FrameSource {

    /** Prefix of camera ids. */
    public static final String CAMERA_PREFIX = "synth-";

    private final List<String> ids = new ArrayList<>();
    private final List<SyntheticRoadCamera> cameras = new ArrayList<>();
    private final long framesPerCamera;
    private final boolean loop;

    /** {@code count} unbounded cameras of {@code width x height}. */
    public SyntheticSource(int count, int width, int height, long seed) {
        this(count, width, height, seed, 0, true);
    }

    /**
     * @param count           number of cameras, at least 1
     * @param width           frame width
     * @param height          frame height
     * @param seed            seed of camera 0; camera i uses {@code seed + i}
     * @param framesPerCamera length of each camera's sequence, 0 = unbounded
     * @param loop            whether a bounded camera starts over
     */
    public SyntheticSource(int count, int width, int height, long seed, long framesPerCamera, boolean loop) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one camera, got " + count);
        }
        if (framesPerCamera < 0) {
            throw new IllegalArgumentException("framesPerCamera must be >= 0, got " + framesPerCamera);
        }
        for (int i = 0; i < count; i++) {
            ids.add(CAMERA_PREFIX + i);
            cameras.add(new SyntheticRoadCamera(seed + i, width, height));
        }
        this.framesPerCamera = framesPerCamera;
        this.loop = loop;
    }

    @Override
    public List<String> cameras() {
        return List.copyOf(ids);
    }

    /** The camera behind {@code cameraId}. */
    public SyntheticRoadCamera camera(String cameraId) {
        int i = ids.indexOf(cameraId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown camera '" + cameraId + "', have " + ids);
        }
        return cameras.get(i);
    }

    @Override
    public Iterator<SourceFrame> frames(String cameraId) {
        SyntheticRoadCamera camera = camera(cameraId);
        return new Iterator<>() {
            private long index;
            private long pass;

            @Override
            public boolean hasNext() {
                return framesPerCamera == 0 || loop || index < framesPerCamera;
            }

            @Override
            public SourceFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("camera " + cameraId + " has no more frames");
                }
                if (framesPerCamera > 0 && index == framesPerCamera) {
                    index = 0;
                    pass++;
                }
                SyntheticRoadCamera.Frame f = camera.frame(index);
                String id = String.format("%s-%06d", cameraId, index) + (pass == 0 ? "" : "#" + pass);
                index++;
                return new SourceFrame(cameraId, id, ImageCodec.encodePng(f.image()), ImageCodec.encodeMaskPng(f.mask()));
            }
        };
    }
}
