package dev.segstream.producer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** A test source over fixed frames per camera, optionally looping. */
final class ListSource implements FrameSource {

    private final Map<String, List<SourceFrame>> frames = new LinkedHashMap<>();
    private final boolean loop;
    boolean closed;

    ListSource(boolean loop) {
        this.loop = loop;
    }

    ListSource add(String camera, int count, boolean withMask) {
        List<SourceFrame> list = frames.computeIfAbsent(camera, c -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            String id = camera + "-" + list.size();
            byte[] image = ("image:" + id).getBytes();
            list.add(new SourceFrame(camera, id, image, withMask ? ("mask:" + id).getBytes() : null));
        }
        return this;
    }

    @Override
    public List<String> cameras() {
        return List.copyOf(frames.keySet());
    }

    @Override
    public Iterator<SourceFrame> frames(String cameraId) {
        List<SourceFrame> list = frames.get(cameraId);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < list.size() || loop;
            }

            @Override
            public SourceFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return list.get(next++ % list.size());
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
