package dev.segstream.producer;

import dev.segstream.core.metrics.MetricsServer;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.LabelledFrame;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link FrameSource} to Kafka: each frame to the frames topic (key camera id, value
 * the image bytes, headers {@code frame.id} and {@code frame.ts} = send time in epoch ms), and each
 * frame with ground truth also to the labelled topic as a {@link LabelledFrame}. Cameras are
 * interleaved round-robin and paced at {@code fps} per camera against absolute deadlines
 * ({@link Pacer}); fps 0 sends as fast as the client accepts.
 *
 * <p>Usable from the CLI and embedded: {@link #run()} / {@link #runFor(long)} block until the frame
 * limit, the end of a non-looping source, or {@link #stop()} / {@link #close()} from another
 * thread; they then flush. {@link #close()} also closes the source, the Kafka producer and the
 * metrics endpoint, and is idempotent. A stopped producer stays stopped.
 */
public final class FrameProducer implements AutoCloseable {

    /** Told of every frame the broker acknowledged on the frames topic (on the client's I/O thread). */
    @FunctionalInterface
    public interface SendListener {
        void onFrameSent(String cameraId, String frameId, long sendTimestampMs);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FrameProducer.class);

    private final ProducerConfig config;
    private final FrameSource source;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final FrameSender sender;
    private final SendStats stats = new SendStats();
    private final MetricsServer metricsServer;
    private final ReentrantLock runLock = new ReentrantLock();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SendListener listener;
    private volatile long dispatched;

    /** A producer for {@code config}: its source, a new {@link KafkaProducer}, meters in {@code registry}. */
    public FrameProducer(ProducerConfig config, MeterRegistry registry) {
        this(config, config.newSource(), newKafkaProducer(config), registry);
    }

    /**
     * A producer over a given source and client (e.g. {@code MockProducer} in tests). It takes
     * ownership of both and closes them on {@link #close()}. The metrics endpoint is started on
     * {@code metrics.port} when {@code registry} is a {@link PrometheusMeterRegistry} and the port is not -1.
     */
    public FrameProducer(ProducerConfig config, FrameSource source, Producer<String, byte[]> producer,
                         MeterRegistry registry) {
        this.config = config;
        this.source = source;
        this.producer = producer;
        this.topics = config.topics();
        this.sender = new FrameSender(producer, topics, stats, () -> this.listener);
        new ProducerMetrics(stats).bindTo(registry);
        try {
            this.metricsServer = registry instanceof PrometheusMeterRegistry prometheus && config.metricsPort() >= 0
                    ? MetricsServer.start(prometheus, config.metricsPort()) : null;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            source.close();
            throw e;
        }
    }

    /** Kafka settings: acks=all, idempotence, lz4, 8 MB requests, 5 ms linger, then the configured client props. */
    public static Map<String, Object> kafkaProps(ProducerConfig config) {
        Map<String, Object> p = new HashMap<>();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "segstream-producer");
        p.putAll(config.kafkaClientProps());
        return p;
    }

    private static Producer<String, byte[]> newKafkaProducer(ProducerConfig config) {
        Topics t = config.topics();
        return new KafkaProducer<>(kafkaProps(config), t.frames().keySerde().serializer(),
                t.frames().valueSerde().serializer());
    }

    /** Sets who is told of acknowledged frames (frame id to send timestamp); {@code null} for nobody. */
    public void setSendListener(SendListener listener) {
        this.listener = listener;
    }

    /** Runs until {@code frames.max} frames (0 = unlimited); see {@link #runFor(long)}. */
    public long run() throws InterruptedException {
        return runFor(config.framesMax());
    }

    /**
     * Sends up to {@code maxFrames} frames to the frames topic (0 = until stopped or the source
     * ends), then flushes so every send has completed.
     *
     * @return frames handed to the client in this run
     * @throws IllegalStateException if already running or closed
     */
    public long runFor(long maxFrames) throws InterruptedException {
        if (closed.get() || !runLock.tryLock()) {
            throw new IllegalStateException(closed.get() ? "producer is closed" : "producer is already running");
        }
        long sent = 0;
        try {
            List<String> active = new ArrayList<>(source.cameras());
            Map<String, Iterator<SourceFrame>> frames = new HashMap<>();
            active.forEach(c -> frames.put(c, source.frames(c)));
            Pacer pacer = new Pacer(System::nanoTime, this::sleep, TimeUnit.SECONDS.toNanos(1));
            double fps = config.fps();
            LOG.info("sending {} camera(s) {} at {} fps each to {}, limit {}", active.size(), active,
                    fps == 0 ? "max" : fps, topics.frames().name(), maxFrames == 0 ? "none" : maxFrames);
            int turn = 0;
            while (stopSignal.getCount() > 0 && (maxFrames == 0 || sent < maxFrames) && !active.isEmpty()) {
                turn %= active.size();
                Iterator<SourceFrame> it = frames.get(active.get(turn));
                if (!it.hasNext()) {
                    active.remove(turn);
                    continue;
                }
                if (fps > 0 && !pacer.await(Math.round(1e9 / (fps * active.size())))) {
                    break;
                }
                SourceFrame frame;
                try {
                    frame = it.next();
                } catch (UncheckedIOException e) {
                    // An unreadable file is bad input, not a reason to stop every camera: count and skip it.
                    stats.recordUnreadable();
                    LOG.warn("skipping a frame of camera {}: {}", active.get(turn), e.getMessage());
                    turn++;
                    continue;
                }
                if (!sender.send(frame)) {
                    break;
                }
                sent++;
                dispatched++;
                turn++;
            }
            return sent;
        } finally {
            try {
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("flush failed: {}", e.toString());
            }
            runLock.unlock();
        }
    }

    private boolean sleep(long nanos) throws InterruptedException {
        return !stopSignal.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Asks a running {@link #runFor(long)} to stop after the current frame; it then flushes and returns. */
    public void stop() {
        stopSignal.countDown();
    }

    /** Stops, waits up to 30 s for the run to flush, then closes the client, source and metrics endpoint. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop();
        boolean idle = false;
        try {
            idle = runLock.tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            if (idle) {
                runLock.unlock();
            }
            source.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
        }
    }

    /** Frames handed to the client on the frames topic, over all runs. */
    public long framesDispatched() {
        return dispatched;
    }

    /** Frames the broker acknowledged on the frames topic. */
    public long framesSent() {
        return stats.framesSent();
    }

    /** Labelled copies the broker acknowledged. */
    public long labelledSent() {
        return stats.labelledSent();
    }

    /** Failed sends, frames and labelled copies together. */
    public long sendErrors() {
        return stats.frameErrors() + stats.labelledErrors();
    }

    /** Frames skipped because their source could not be read. */
    public long unreadable() {
        return stats.unreadable();
    }

    /** The port metrics are served on, if the endpoint was started. */
    public OptionalInt metricsPort() {
        return metricsServer == null ? OptionalInt.empty() : OptionalInt.of(metricsServer.port());
    }

    /** The source being published. */
    public FrameSource source() {
        return source;
    }
}
