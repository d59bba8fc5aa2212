package dev.segstream.segmenter;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelArtifactException;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.store.ModelStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code models} topic and hot-swaps the served model: reads every announcement from
 * the start of the (compacted) topic, picks the version the {@link ServePolicy} names, and when it
 * is not the one serving, loads it in the background on this thread, verifies it (inside the model
 * store, sha256 as announced, same classes and input policy, every parameter finite), warms it up
 * with one batch, and swaps it into the {@link SegmentationEngine} between batches. A version that
 * fails any step is refused, logged once, counted by reason, and never retried; the old model keeps
 * serving. Run on its own thread; {@link #close()} stops it.
 */
final class ModelFollower implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);

    /** Why an announced version was not served. */
    enum Refusal {
        MALFORMED("malformed"), URI("uri"), MISSING("missing"), SHA256("sha256"), CLASSES("classes"),
        INPUT_POLICY("input_policy"), NONFINITE("nonfinite"), LOAD("load");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        /** Metric tag value. */
        String tag() {
            return tag;
        }
    }

    private final ServePolicy policy;
    private final SegmentationEngine engine;
    private final ModelStore store;
    private final String device;
    private final int[] warmup;
    private final int warmupBatch;
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AnnouncedVersions announced = new AnnouncedVersions();
    private volatile String pinned;
    private final Set<String> refusedVersions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final LongAdder swaps = new LongAdder();
    private final List<Long> swapTimesMs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SegmenterStats stats;

    ModelFollower(SegmenterConfig config, ServePolicy policy, SegmentationEngine engine, ModelStore store,
                  SegmenterStats stats) {
        this.policy = policy;
        this.engine = engine;
        this.store = store;
        this.stats = stats;
        this.device = config.getString(SegmenterConfig.DEVICE);
        this.warmup = config.warmupSize().orElse(null);
        this.warmupBatch = config.getInt(SegmenterConfig.MAX_BATCH_SIZE);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
        Topics topics = config.topics();
        this.partition = new TopicPartition(topics.models().name(), 0);
        Map<String, Object> props = config.clientProps(ConsumerConfig.configNames());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r.offset(), r.key(), r.value());
                }
                follow();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Takes one record of the topic into the view of what is announced. */
    void accept(long offset, String key, byte[] value) {
        if (ModelAnnouncement.PIN_KEY.equals(key)) {
            try {
                pinned = ModelAnnouncement.pinned(value);
                LOG.info(pinned == null ? "models pin lifted" : "models pinned to {}", pinned);
            } catch (IllegalArgumentException e) {
                refuse(Refusal.MALFORMED, "pin record at offset " + offset, e.getMessage());
            }
            return;
        }
        try {
            announced.add(ModelAnnouncement.parse(value));
        } catch (IllegalArgumentException e) {
            refuse(Refusal.MALFORMED, "models record at offset " + offset, e.getMessage());
        }
    }

    /** Serves what the policy names now, if it is not serving already and was not refused before. */
    void follow() {
        // an operator's pin on the topic overrides this segmenter's own policy
        // (latest and best skip refused versions, so a refused newest one falls back to the last good one
        // rather than leaving a segmenter that just started on its untrained start-up model)
        ModelAnnouncement target = pinned != null ? announced.version(pinned).orElse(null)
                : policy.choose(announced, a -> !refusedVersions.contains(key(a)));
        if (target == null) {
            return;
        }
        ModelDescriptor serving = engine.descriptor();
        if ((target.variant().equals(serving.variant()) && target.version().equals(serving.version()))
                || refusedVersions.contains(key(target))) {
            return;
        }
        load(target).ifPresent(m -> {
            ModelDescriptor old = engine.swap(m);
            swapTimesMs.add(System.currentTimeMillis());
            swaps.increment();
            stats.modelServed(m.descriptor(), m.device(), target.metric(ModelAnnouncement.HELDOUT_MIOU));
            LOG.info("model swapped: now serving {} {} (was {} {})", m.descriptor().variant(),
                    m.descriptor().version(), old.variant(), old.version());
        });
    }

    private static String key(ModelAnnouncement a) {
        return a.variant() + "/" + a.version();
    }

    /** The newest announcement of {@code variant} read so far, if any (for live-quality shadows). */
    java.util.Optional<ModelAnnouncement> latest(String variant) {
        return announced.newest(variant);
    }

    /**
     * Loads and verifies an announced version without serving it (a live-quality shadow); refused
     * versions are counted and remembered as for the served model.
     */
    java.util.Optional<SegmentationModel> loadVerified(ModelAnnouncement a) {
        if (refusedVersions.contains(key(a))) {
            return java.util.Optional.empty();
        }
        return load(a);
    }

    private java.util.Optional<SegmentationModel> load(ModelAnnouncement a) {
        String what = a.variant() + " " + a.version();
        Path dir;
        try {
            dir = store.fetch(URI.create(a.uri()));
        } catch (ModelStore.StoreException e) {
            return refused(a, e.reason().equals("uri") ? Refusal.URI : Refusal.MISSING, e.getMessage());
        } catch (IllegalArgumentException e) {
            return refused(a, Refusal.URI, "invalid URI " + a.uri() + ": " + e.getMessage());
        }
        SegmentationModel m = null;
        try {
            ModelDescriptor d = ModelArtifacts.readDescriptor(dir);
            ModelDescriptor serving = engine.descriptor();
            if (d.weightsSha256() == null || !d.weightsSha256().equalsIgnoreCase(a.weightsSha256())) {
                return refused(a, Refusal.SHA256, "descriptor sha256 " + d.weightsSha256() + " is not the announced "
                        + a.weightsSha256());
            }
            if (d.classes() != serving.classes()) {
                return refused(a, Refusal.CLASSES, d.classes() + " classes where the served model has "
                        + serving.classes());
            }
            if (!String.valueOf(d.inputSizePolicy()).equals(String.valueOf(serving.inputSizePolicy()))) {
                return refused(a, Refusal.INPUT_POLICY, "input policy " + d.inputSizePolicy() + " where the served "
                        + "model has " + serving.inputSizePolicy());
            }
            m = ModelArtifacts.load(dir, device);
            warmUp(m);
            return java.util.Optional.of(m);
        } catch (ModelArtifactException e) {
            closeQuietly(m);
            String msg = e.getMessage() == null ? "" : e.getMessage();
            Refusal r = msg.contains("non-finite") ? Refusal.NONFINITE
                    : msg.toLowerCase(Locale.ROOT).contains("sha256") ? Refusal.SHA256 : Refusal.LOAD;
            return refused(a, r, msg);
        } catch (RuntimeException e) {
            closeQuietly(m);
            return refused(a, Refusal.LOAD, "cannot load " + what + ": " + e);
        }
    }

    private void warmUp(SegmentationModel m) {
        if (warmup == null) {
            return;
        }
        RgbImage blank = new RgbImage(warmup[0], warmup[1], new byte[warmup[0] * warmup[1] * 3]);
        try (MaskPredictor p = m.newPredictor()) {
            p.predict(Collections.nCopies(warmupBatch, blank));
        }
    }

    private java.util.Optional<SegmentationModel> refused(ModelAnnouncement a, Refusal reason, String why) {
        refusedVersions.add(key(a));
        refuse(reason, a.variant() + " " + a.version(), why);
        return java.util.Optional.empty();
    }

    private void refuse(Refusal reason, String what, String why) {
        refusals.get(reason).increment();
        LOG.warn("model refused ({}): {}: {}; still serving {} {}", reason.tag(), what, why,
                engine.descriptor().variant(), engine.descriptor().version());
    }

    private static void closeQuietly(SegmentationModel m) {
        if (m != null) {
            m.close();
        }
    }

    /** Versions refused for {@code reason} so far. */
    long refused(Refusal reason) {
        return refusals.get(reason).sum();
    }

    /** When each swap took effect (epoch ms), oldest first. */
    List<Long> swapTimesMs() {
        return List.copyOf(swapTimesMs);
    }

    /** Swaps done so far. */
    long swaps() {
        return swaps.sum();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
