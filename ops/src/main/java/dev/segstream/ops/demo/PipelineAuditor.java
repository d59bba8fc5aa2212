package dev.segstream.ops.demo;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.ops.report.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the frames, masks and dead-letter topics from outside the pipeline, as a user would,
 * and matches every frame to what came out for it by {@code frame.id}. Reads committed data only,
 * so a mask counts once Kafka Streams' transaction is committed. Runs on its own thread.
 */
public final class PipelineAuditor implements Runnable, AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final Map<String, Long> frames = new HashMap<>();
    private final Map<String, Integer> outputs = new HashMap<>();
    private final List<Long> latenciesMs = new ArrayList<>();
    private long masks;
    private final List<long[]> maskTimes = new ArrayList<>();
    private final java.util.Set<String> versions = new java.util.LinkedHashSet<>();
    private long deadLetters;
    private long firstFrameTs = Long.MAX_VALUE;
    private long lastOutputMs;

    public PipelineAuditor(Map<String, Object> clientProps, Topics topics) {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "segstream-audit-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.thread = new Thread(this, "pipeline-auditor");
        thread.setDaemon(true);
    }

    /** Starts the polling thread. */
    public PipelineAuditor start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topics.frames().name(), topics.masks().name(), topics.dlq().name()));
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    record(r, System.currentTimeMillis());
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private synchronized void record(ConsumerRecord<String, byte[]> r, long now) {
        if (r.topic().equals(topics.frames().name())) {
            String id = FrameHeaders.frameIdOrSource(r.headers(), r.topic(), r.partition(), r.offset());
            long ts = FrameHeaders.number(r.headers(), FrameHeaders.FRAME_TS).orElse(r.timestamp());
            frames.put(id, ts);
            firstFrameTs = Math.min(firstFrameTs, ts);
            return;
        }
        boolean dlq = r.topic().equals(topics.dlq().name());
        String id = dlq ? FrameHeaders.frameIdOrSource(r.headers(),
                FrameHeaders.text(r.headers(), FrameHeaders.DLQ_SOURCE_TOPIC).orElse(""),
                (int) FrameHeaders.number(r.headers(), FrameHeaders.DLQ_SOURCE_PARTITION).orElse(-1),
                FrameHeaders.number(r.headers(), FrameHeaders.DLQ_SOURCE_OFFSET).orElse(-1))
                : FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?");
        outputs.merge(id, 1, Integer::sum);
        lastOutputMs = now;
        if (dlq) {
            deadLetters++;
        } else {
            masks++;
            FrameHeaders.number(r.headers(), FrameHeaders.FRAME_TS).ifPresent(ts -> {
                latenciesMs.add(now - ts);
                maskTimes.add(new long[] {ts, now - ts});
            });
            FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VERSION).ifPresent(versions::add);
        }
    }

    /**
     * p99 frame-to-mask latency of the frames captured within {@code halfWindowMs} of a swap, and
     * of all other frames (steady state), as {@code {p99 near swaps, p99 steady, frames near swaps}};
     * -1 where there are none.
     */
    public synchronized long[] p99AroundSwaps(List<Long> swapTimesMs, long halfWindowMs) {
        List<Long> near = new ArrayList<>();
        List<Long> steady = new ArrayList<>();
        for (long[] m : maskTimes) {
            boolean close = swapTimesMs.stream().anyMatch(s -> Math.abs(m[0] - s) <= halfWindowMs);
            (close ? near : steady).add(m[1]);
        }
        return new long[] {Percentiles.nearestRank(near.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99),
                Percentiles.nearestRank(steady.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99),
                near.size()};
    }

    /**
     * Median and p99 frame-to-mask latency of the frames captured in {@code [fromMs, toMs)}, and
     * how many there were; -1 where there are none.
     */
    public synchronized long[] latencyPercentiles(long fromMs, long toMs) {
        long[] sorted = maskTimes.stream().filter(m -> m[0] >= fromMs && m[0] < toMs).mapToLong(m -> m[1]).sorted()
                .toArray();
        return new long[] {Percentiles.nearestRank(sorted, 0.50), Percentiles.nearestRank(sorted, 0.99),
                sorted.length};
    }

    /** The model versions named by the masks seen so far, in order of first appearance. */
    public synchronized List<String> versionsServed() {
        return List.copyOf(versions);
    }

    /** A consistent snapshot of what has been seen so far. */
    public synchronized AuditReport report() {
        long missing = frames.keySet().stream().filter(id -> !outputs.containsKey(id)).count();
        long duplicates = outputs.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        long orphans = outputs.keySet().stream().filter(id -> !frames.containsKey(id)).count();
        long[] sorted = latenciesMs.stream().mapToLong(Long::longValue).sorted().toArray();
        double seconds = frames.isEmpty() || lastOutputMs == 0 ? 0 : Math.max(1, lastOutputMs - firstFrameTs) / 1000.0;
        return new AuditReport(frames.size(), masks, deadLetters, missing, duplicates, orphans,
                seconds == 0 ? 0 : (masks + deadLetters) / seconds, Percentiles.nearestRank(sorted, 0.50),
                Percentiles.nearestRank(sorted, 0.99));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
    }
}
