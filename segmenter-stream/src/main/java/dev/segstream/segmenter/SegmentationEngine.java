package dev.segstream.segmenter;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.TestTimeAugmentation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM-wide owner of the resident model. Batch workers share the one {@link SegmentationModel}
 * (parameters stay on the device) and each gets its own {@link MaskPredictor}, because DJL
 * predictors are not thread-safe.
 *
 * <p>Hot swap: {@link #swap} replaces the served model atomically, between batches. A batch takes
 * the model current when it starts and finishes on it; the replaced model (with its predictors)
 * is closed when its last batch ends. Every result names the model that computed it.
 */
public final class SegmentationEngine implements AutoCloseable {

    /** A batch's masks and the model that made them. */
    public record Segmented(List<ClassMask> masks, ModelDescriptor model) {
    }

    /** A served model, its predictors, and how many batches are running on it. */
    private static final class Served {
        final SegmentationModel model;
        final Map<Thread, MaskPredictor> predictors = new ConcurrentHashMap<>();
        final AtomicInteger users = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean retired;

        Served(SegmentationModel model) {
            this.model = model;
        }

        void closeIfRetiredAndIdle() {
            if (retired && users.get() == 0 && closed.compareAndSet(false, true)) {
                predictors.values().forEach(MaskPredictor::close);
                predictors.clear();
                model.close();
            }
        }
    }

    private final AtomicReference<Served> current;
    private final TestTimeAugmentation tta;

    /** An engine serving {@code model}; it owns the model from now on. */
    public SegmentationEngine(SegmentationModel model) {
        this(model, TestTimeAugmentation.NONE);
    }

    /** An engine serving {@code model} with test-time augmentation {@code tta} on every model it serves. */
    public SegmentationEngine(SegmentationModel model, TestTimeAugmentation tta) {
        this.current = new AtomicReference<>(new Served(model));
        this.tta = tta;
    }

    /** The test-time augmentation every batch gets. */
    public TestTimeAugmentation testTimeAugmentation() {
        return tta;
    }

    /** What the engine serves now. */
    public ModelDescriptor descriptor() {
        return current.get().model.descriptor();
    }

    /** The model's device in DJL notation. */
    public String device() {
        return current.get().model.device();
    }

    /**
     * Segments a batch of same-sized frames on the calling thread's predictor of the current model.
     *
     * @throws RuntimeException whatever the model throws; callers decide whether to retry per frame
     */
    public Segmented segment(List<RgbImage> batch) {
        Served s = acquire();
        try {
            MaskPredictor p = s.predictors.computeIfAbsent(Thread.currentThread(), t -> s.model.newPredictor(tta));
            return new Segmented(p.predict(batch), s.model.descriptor());
        } finally {
            s.users.decrementAndGet();
            s.closeIfRetiredAndIdle();
        }
    }

    /** The current model, counted as in use until the caller is done with it. */
    private Served acquire() {
        while (true) {
            Served s = current.get();
            s.users.incrementAndGet();
            if (current.get() == s) {
                return s;
            }
            // swapped between the read and the count: let the retired model go and take the new one
            s.users.decrementAndGet();
            s.closeIfRetiredAndIdle();
        }
    }

    /**
     * Serves {@code next} from the next batch on; batches already running finish on the old model,
     * which is closed after the last of them. The engine owns {@code next} from now on.
     *
     * @return the descriptor of the model replaced
     */
    public ModelDescriptor swap(SegmentationModel next) {
        Served old = current.getAndSet(new Served(next));
        old.retired = true;
        old.closeIfRetiredAndIdle();
        return old.model.descriptor();
    }

    /** Releases the calling thread's predictor (a worker that is shutting down). */
    public void releaseCurrentThread() {
        MaskPredictor p = current.get().predictors.remove(Thread.currentThread());
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void close() {
        Served s = current.get();
        s.retired = true;
        s.closeIfRetiredAndIdle();
    }
}
