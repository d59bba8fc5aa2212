package dev.segstream.trainer.service;

import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.model.EngineThreads;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsMetrics;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.model.store.ModelStore;
import dev.segstream.model.store.ModelStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service: reads {@code frames.labelled} (read-committed) into a bounded
 * {@link LabelWindow}, keeps a deterministic share aside as held-out frames, and runs rounds
 * (enough new frames, or a schedule): each configured variant is warm-started from its champion
 * (the newest version announced on {@code models}), trained within a budget, judged against the
 * champion on the same held-out frames, and, when better by the gate's margin, written to the
 * model store and only then announced. After a round it commits its position; after a restart it
 * rebuilds its window from the topic (reading back up to a window's worth before its committed
 * position), so the log is the only copy of the data.
 */
public final class TrainerService implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerServiceConfig config;
    private final Topics topics;
    private final ModelStore store;
    private final SampleIntake intake;
    private final LabelWindow window;
    private final KafkaConsumer<String, LabelledFrame> labelled;
    private final KafkaConsumer<String, byte[]> models;
    private final KafkaProducer<String, byte[]> announcer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<TopicPartition, Long> committedAtStart = new ConcurrentHashMap<>();
    private final Map<String, ModelAnnouncement> champions = new HashMap<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong gated = new AtomicLong();
    private final Map<String, RoundRunner.Result> lastResults = new ConcurrentHashMap<>();
    private final Path scratch;
    private long lastRoundMs = System.currentTimeMillis();
    private volatile double firstPublishedMiou = Double.NaN;
    private volatile double lastPublishedMiou = Double.NaN;
    private volatile RuntimeException failure;

    private final MeterRegistry registry;

    public TrainerService(TrainerServiceConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.topics = config.topics();
        this.store = ModelStoreConfig.open(config);
        this.intake = new SampleIntake(FrameLimitsConfig.decoder(config), 1 << config.getInt(TrainerServiceConfig.DEPTH));
        this.window = new LabelWindow(config.getInt(TrainerServiceConfig.WINDOW_FRAMES),
                config.getLong(TrainerServiceConfig.WINDOW_BYTES), config.getInt(TrainerServiceConfig.HELDOUT_MAX_FRAMES));
        Map<String, Object> c = new HashMap<>(config.clientProps());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(TrainerServiceConfig.GROUP_ID));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.labelled = new KafkaConsumer<>(c, new StringDeserializer(), topics.labelled().valueSerde().deserializer());
        Map<String, Object> m = new HashMap<>(config.clientProps());
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.models = new KafkaConsumer<>(m, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(config.clientProps());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.announcer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        try {
            this.scratch = Files.createTempDirectory("segstream-trainer-service");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new TrainerServiceMetrics(this).bindTo(registry);
    }

    @Override
    public void run() {
        try {
            List<UNetSpec> specs = config.variants().stream().map(v -> config.spec(v, CamVidClasses.COUNT)).toList();
            TrainingNumerics.ensure(config.numerics(), specs,
                    MemoryFormat.parse(config.getString(TrainerServiceConfig.MEMORY_FORMAT)));
            new NumericsMetrics().bindTo(registry);
            EngineThreads.apply(0);
            TopicPartition modelsPartition = new TopicPartition(topics.models().name(), 0);
            models.assign(List.of(modelsPartition));
            models.seekToBeginning(List.of(modelsPartition));
            labelled.subscribe(List.of(topics.labelled().name()), new Rewind());
            while (running.get()) {
                poll();
                if (roundDue()) {
                    round(specs);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("trainer service stopped", e);
            throw e;
        } finally {
            labelled.close(Duration.ofSeconds(5));
            models.close(Duration.ofSeconds(5));
            announcer.close(Duration.ofSeconds(5));
        }
    }

    /** On assignment, reads back up to a window's worth before the committed position, to rebuild the window. */
    private final class Rewind implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = labelled.committed(new java.util.HashSet<>(partitions));
            Map<TopicPartition, Long> begin = labelled.beginningOffsets(partitions);
            int back = Math.max(1, config.getInt(TrainerServiceConfig.WINDOW_FRAMES) / Math.max(1, partitions.size()));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = committed.get(tp);
                if (om != null) {
                    committedAtStart.put(tp, om.offset());
                    labelled.seek(tp, Math.max(begin.getOrDefault(tp, 0L), om.offset() - back));
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }

    private void poll() {
        try {
            for (ConsumerRecord<String, LabelledFrame> r : labelled.poll(Duration.ofMillis(200))) {
                accept(r);
            }
        } catch (RecordDeserializationException e) {
            intake.reject(e.topicPartition() + "@" + e.offset(), "not a labelled frame: " + e.getMessage());
            labelled.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void accept(ConsumerRecord<String, LabelledFrame> r) {
        SampleIntake.Verdict v = intake.take(r.value(), r.topic() + "-" + r.partition() + "@" + r.offset());
        if (!v.accepted()) {
            return;
        }
        String id = FrameHeaders.frameIdOrSource(r.headers(), r.topic(), r.partition(), r.offset());
        boolean heldOut = LabelWindow.isHeldOut(id, config.getInt(TrainerServiceConfig.HELDOUT_PERCENT));
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        boolean fresh = r.offset() >= committedAtStart.getOrDefault(tp, -1L);
        window.add(new LabelWindow.Entry(v.sample(), r.partition(), r.offset()), heldOut, fresh);
    }

    private boolean roundDue() {
        if (window.trainFrames() == 0 || window.heldOut().isEmpty() || window.newSinceRound() == 0) {
            return false;
        }
        return window.newSinceRound() >= config.getInt(TrainerServiceConfig.ROUND_MIN_NEW_FRAMES)
                || System.currentTimeMillis() - lastRoundMs >= config.getLong(TrainerServiceConfig.ROUND_INTERVAL_MS);
    }

    private void round(List<UNetSpec> specs) {
        readChampions();
        int n = (int) rounds.incrementAndGet();
        window.roundStarted();
        lastRoundMs = System.currentTimeMillis();
        RoundRunner runner = new RoundRunner(config, store, scratch);
        for (UNetSpec spec : specs) {
            if (!running.get()) {
                return;
            }
            ModelAnnouncement champion = champions.get(spec.variant().id());
            RoundRunner.Result r = runner.run(spec, champion, window, n, topics.labelled().name());
            lastResults.put(r.variant(), r);
            if (r.published().isPresent()) {
                ModelAnnouncement a = r.published().get();
                try {
                    announcer.send(new ProducerRecord<>(topics.models().name(), a.variant(), a.toBytes())).get();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot announce " + a.version() + ": " + e, e);
                }
                champions.put(a.variant(), a);
                published.incrementAndGet();
                if (Double.isNaN(firstPublishedMiou)) {
                    firstPublishedMiou = r.parentMiou();
                }
                lastPublishedMiou = r.miou();
            } else {
                gated.incrementAndGet();
            }
            LOG.info("round {} {}: {} steps, loss {}, held-out mIoU {} -> {} ({}), {} train + {} held-out frames", n,
                    r.variant(), r.steps(), String.format("%.4f", r.meanLoss()),
                    String.format("%.4f", r.parentMiou()), String.format("%.4f", r.miou()),
                    r.published().map(a -> "published " + a.version()).orElse("kept champion"),
                    window.trainFrames(), window.heldOut().size());
        }
        labelled.commitSync();
    }

    /** Reads the models topic to its end: the newest announcement of each variant is its champion. */
    private void readChampions() {
        TopicPartition tp = new TopicPartition(topics.models().name(), 0);
        long end = models.endOffsets(List.of(tp)).get(tp);
        long deadline = System.currentTimeMillis() + 10_000;
        while (models.position(tp) < end && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : models.poll(Duration.ofMillis(100))) {
                if (ModelAnnouncement.PIN_KEY.equals(r.key())) {
                    continue;
                }
                try {
                    ModelAnnouncement a = ModelAnnouncement.parse(r.value());
                    champions.put(a.variant(), a);
                } catch (IllegalArgumentException e) {
                    LOG.warn("models record at offset {} ignored: {}", r.offset(), e.getMessage());
                }
            }
        }
    }

    long accepted() {
        return intake.accepted();
    }

    long rejected() {
        return intake.rejected();
    }

    /** Rounds started. */
    public long rounds() {
        return rounds.get();
    }

    /** Versions published (written to the store and announced). */
    public long published() {
        return published.get();
    }

    /** Held-out mIoU of the model the first published version started from (NaN before any). */
    public double firstParentHeldOutMiou() {
        return firstPublishedMiou;
    }

    /** Held-out mIoU of the newest published version (NaN before any). */
    public double lastPublishedHeldOutMiou() {
        return lastPublishedMiou;
    }

    long gated() {
        return gated.get();
    }

    /** Training frames in the window now. */
    public int windowFrames() {
        return window.trainFrames();
    }

    /** The last round's result of each variant. */
    public Map<String, RoundRunner.Result> lastResults() {
        return Map.copyOf(lastResults);
    }

    /** Why the service stopped, if it failed. */
    public java.util.Optional<RuntimeException> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** The variants' variants enum, for metrics. */
    List<UNetVariant> variants() {
        return config.variants();
    }

    @Override
    public void close() {
        running.set(false);
        labelled.wakeup();
    }
}
