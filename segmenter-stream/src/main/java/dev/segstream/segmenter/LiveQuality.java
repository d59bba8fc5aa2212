package dev.segstream.segmenter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.core.metrics.RecordingMeters;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.core.wire.TruthMaskDecoder;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live quality of the serving model on late labels: reads {@code frames.labelled} as it arrives
 * (its own consumer group, from the latest offset), segments each labelled frame with the model
 * serving at that moment, at most {@code quality.max.fps} frames a second so serving keeps the
 * CPU, and compares the mask with the ground truth in a count-based window of
 * {@code quality.window.frames} frames per model version. Each full window sets the gauges
 * {@code segstream.quality.miou} and {@code segstream.quality.class.iou} (tags variant, version,
 * role) and is published as one JSON record to the {@code quality} topic.
 */
final class LiveQuality implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveQuality.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROLE_SERVING = "serving";
    static final String ROLE_SHADOW = "shadow";

    private final SegmentationEngine engine;
    private final FrameDecoder decoder;
    private final int windowFrames;
    private final long minIntervalNanos;
    private final Topics topics;
    private final KafkaConsumer<String, LabelledFrame> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Window> windows = new HashMap<>();
    private final MultiGauge miou;
    private final MultiGauge classIou;
    private final Map<Tags, Double> miouRows = new LinkedHashMap<>();
    private final Map<Tags, Double> classRows = new LinkedHashMap<>();
    private long lastNanos;
    private volatile long windowsPublished;
    private final java.util.Set<String> loggedVersions = new java.util.HashSet<>();
    private volatile double firstMiou = Double.NaN;
    private volatile double lastMiou = Double.NaN;

    /** One model version's window in one role. */
    private static final class Window {
        final ModelDescriptor model;
        final String role;
        final ConfusionMatrix cm = new ConfusionMatrix(CamVidClasses.COUNT, CamVidClasses.VOID);
        int frames;

        Window(ModelDescriptor model, String role) {
            this.model = model;
            this.role = role;
        }
    }

    /** A shadow variant's newest verified version, with this thread's predictor. */
    private record Shadow(SegmentationModel model, MaskPredictor predictor) {
        void close() {
            predictor.close();
            model.close();
        }
    }

    private final List<String> shadowVariants;
    private final ModelFollower follower;
    private final Map<String, Shadow> shadows = new HashMap<>();

    /**
     * @param follower the models-topic follower, for shadow variants' newest versions; {@code null}
     *                 when the segmenter follows nothing (then no shadows are scored)
     */
    LiveQuality(SegmenterConfig config, SegmentationEngine engine, FrameDecoder decoder, RecordingMeters meters,
                ModelFollower follower) {
        this.engine = engine;
        this.follower = follower;
        this.shadowVariants = config.getList(SegmenterConfig.QUALITY_SHADOW_VARIANTS);
        if (follower == null && !shadowVariants.isEmpty()) {
            LOG.warn("quality.shadow.variants {} ignored: shadows need model.serve to follow the models topic",
                    shadowVariants);
        }
        this.decoder = decoder;
        this.windowFrames = config.getInt(SegmenterConfig.QUALITY_WINDOW_FRAMES);
        this.minIntervalNanos = (long) (1e9 / config.getDouble(SegmenterConfig.QUALITY_MAX_FPS));
        this.topics = config.topics();
        Map<String, Object> c = config.clientProps(ConsumerConfig.configNames());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(SegmenterConfig.QUALITY_GROUP_ID));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), topics.labelled().valueSerde().deserializer());
        Map<String, Object> p = config.clientProps(ProducerConfig.configNames());
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.miou = MultiGauge.builder("segstream.quality.miou")
                .description("Live mIoU on labelled frames of the last full window, per model version and role")
                .register(meters.registry());
        this.classIou = MultiGauge.builder("segstream.quality.class.iou")
                .description("Live IoU per class on labelled frames of the last full window").register(meters.registry());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.labelled().name()));
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, LabelledFrame> r : consumer.poll(Duration.ofMillis(200))) {
                        if (System.nanoTime() - lastNanos >= minIntervalNanos) {
                            lastNanos = System.nanoTime();
                            score(r);
                        }
                    }
                } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
            shadows.values().forEach(Shadow::close);
            shadows.clear();
        }
    }

    private void score(ConsumerRecord<String, LabelledFrame> r) {
        RgbImage image;
        ClassMask truth;
        try {
            image = decoder.decode(r.value().image());
            // Size checked from the header and classes within [0, void]: an out-of-range truth would
            // throw from the confusion matrix outside this catch and end the live-quality thread.
            truth = TruthMaskDecoder.decode(r.value().mask(), image.width(), image.height(), CamVidClasses.VOID);
        } catch (Exception e) {
            LOG.debug("labelled frame {}-{}@{} not scored: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        if (truth.width() != image.width() || truth.height() != image.height()) {
            return;
        }
        SegmentationEngine.Segmented s = engine.segment(List.of(image));
        add(s.model(), ROLE_SERVING, truth, s.masks().get(0));
        if (follower != null) {
            for (String variant : shadowVariants) {
                shadow(variant, s.model()).ifPresent(sh -> add(sh.model().descriptor(), ROLE_SHADOW, truth,
                        sh.predictor().predict(List.of(image)).get(0)));
            }
        }
    }

    /** The shadow of {@code variant}: its newest verified version, unless that one is serving. */
    private java.util.Optional<Shadow> shadow(String variant, ModelDescriptor serving) {
        java.util.Optional<ModelAnnouncement> newest = follower.latest(variant);
        if (newest.isEmpty() || (variant.equals(serving.variant()) && newest.get().version().equals(serving.version()))) {
            return java.util.Optional.empty();
        }
        Shadow current = shadows.get(variant);
        if (current != null && current.model().descriptor().version().equals(newest.get().version())) {
            return java.util.Optional.of(current);
        }
        java.util.Optional<SegmentationModel> loaded = follower.loadVerified(newest.get());
        if (loaded.isEmpty()) {
            return java.util.Optional.ofNullable(current);
        }
        if (current != null) {
            current.close();
        }
        Shadow next = new Shadow(loaded.get(), loaded.get().newPredictor());
        shadows.put(variant, next);
        return java.util.Optional.of(next);
    }

    private void add(ModelDescriptor model, String role, ClassMask truth, ClassMask predicted) {
        String key = role + "/" + model.variant() + "/" + model.version();
        Window w = windows.computeIfAbsent(key, k -> new Window(model, role));
        w.cm.add(truth.classes(), predicted.classes());
        if (++w.frames >= windowFrames) {
            publish(w);
            windows.remove(key);
        }
    }

    private void publish(Window w) {
        Tags tags = Tags.of("variant", w.model.variant(), "version", w.model.version(), "role", w.role);
        double m = w.cm.meanIou();
        double[] perClass = w.cm.perClassIou();
        // one row per variant and role: the newest window of each
        miouRows.keySet().removeIf(t -> sameModelSlot(t, tags));
        miouRows.put(tags, m);
        classRows.keySet().removeIf(t -> sameModelSlot(t, tags));
        Map<String, Double> classes = new LinkedHashMap<>();
        for (int c = 0; c < perClass.length; c++) {
            classRows.put(tags.and("class", CamVidClasses.NAMES.get(c)), perClass[c]);
            classes.put(CamVidClasses.NAMES.get(c), Double.isNaN(perClass[c]) ? null : perClass[c]);
        }
        miou.register(rows(miouRows), true);
        classIou.register(rows(classRows), true);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("variant", w.model.variant());
        record.put("version", w.model.version());
        record.put("role", w.role);
        record.put("frames", w.frames);
        record.put("miou", Double.isNaN(m) ? null : m);
        record.put("per_class_iou", classes);
        record.put("window_end", Instant.now().toString());
        try {
            producer.send(new ProducerRecord<>(topics.quality().name(), w.model.variant(), JSON.writeValueAsBytes(record)));
        } catch (Exception e) {
            LOG.warn("quality record not sent: {}", e.toString());
        }
        windowsPublished++;
        if (w.role.equals(ROLE_SERVING)) {
            if (Double.isNaN(firstMiou)) {
                firstMiou = m;
            }
            lastMiou = m;
        }
        // one line per version at INFO (its first window); every window at DEBUG, the gauges and the topic
        boolean firstOfVersion = loggedVersions.add(w.role + "/" + w.model.version());
        String line = "live quality {} {} ({}): mIoU {} over {} labelled frames";
        Object[] args = {w.model.variant(), w.model.version(), w.role, String.format("%.4f", m), w.frames};
        if (firstOfVersion) {
            LOG.info(line, args);
        } else {
            LOG.debug(line, args);
        }
    }

    private static boolean sameModelSlot(Tags a, Tags b) {
        return tag(a, "variant").equals(tag(b, "variant")) && tag(a, "role").equals(tag(b, "role"));
    }

    private static String tag(Tags tags, String key) {
        return tags.stream().filter(t -> t.getKey().equals(key)).map(io.micrometer.core.instrument.Tag::getValue)
                .findFirst().orElse("");
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Double> values) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        values.forEach((t, v) -> out.add(MultiGauge.Row.of(t, v)));
        return out;
    }

    long windowsPublished() {
        return windowsPublished;
    }

    /** Live mIoU of the serving model in the first and the latest full window (NaN before one). */
    double[] firstAndLastMiou() {
        return new double[] {firstMiou, lastMiou};
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
