package dev.segstream.ops.faults;

import dev.segstream.core.wire.FrameHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the masks and dead-letter topics as a user would, read-committed, on its own thread, and
 * notes when each output became visible: progress for deciding when to kill, and the clock for
 * "masks flowing again". The final judgement is {@code EosVerifier}'s, not this watcher's.
 */
final class OutputWatcher implements AutoCloseable {

    /** One committed output: its frame, whether it is a mask, when this watcher saw it, its bytes. */
    record Seen(String frameId, boolean mask, long seenAtMs, byte[] value) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final String masksTopic;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    OutputWatcher(Map<String, Object> clientProps, String masksTopic, String dlqTopic) {
        Map<String, Object> c = new HashMap<>(clientProps);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-watch-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.masksTopic = masksTopic;
        this.topics = List.of(masksTopic, dlqTopic);
        this.thread = new Thread(this::run, "fault-output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> all = new ArrayList<>();
            for (String t : topics) {
                for (PartitionInfo p : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
                    all.add(new TopicPartition(t, p.partition()));
                }
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    seen.add(new Seen(FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"),
                            r.topic().equals(masksTopic), System.currentTimeMillis(), r.value()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Outputs (masks and dead letters) seen so far. */
    int count() {
        return seen.size();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The first output seen that matches, if any. */
    Optional<Seen> first(Predicate<Seen> p) {
        return seen.stream().filter(p).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
