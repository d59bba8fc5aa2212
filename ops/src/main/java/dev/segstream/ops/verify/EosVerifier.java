package dev.segstream.ops.verify;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Checks, after a run, what Kafka's own exactly-once system tests check (their
 * {@code EosTestDriver}): reads the frames, masks and dead-letter topics from the beginning to
 * their last stable offsets with a read-committed consumer, and verifies that every frame has
 * exactly one output (a mask or a dead letter), that no output lacks its frame, and that the
 * masks of each camera (record key) come in the order of its frames. Used by every fault test and
 * the soak bench; the verdict prints sent / masks / dead letters / lost / duplicated.
 */
public final class EosVerifier {

    private final Map<String, Object> clientProps;
    private final Topics topics;

    /** @param clientProps connection settings (bootstrap servers, security) for the verifying consumer */
    public EosVerifier(Map<String, Object> clientProps, Topics topics) {
        this.clientProps = Map.copyOf(clientProps);
        this.topics = topics;
    }

    /** Reads the three topics to their end (read-committed) and judges them. */
    public EosVerdict verify(Duration timeout) {
        Map<String, long[]> frames = new HashMap<>(); // frame id -> {partition, offset}
        Map<String, List<Output>> outputs = new HashMap<>();
        List<Output> masks = new ArrayList<>();
        long deadLetters = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.frames().name(), topics.masks().name(), topics.dlq().name())) {
                for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the topics to their end in " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.frames().name())) {
                        frames.put(FrameHeaders.frameIdOrSource(r.headers(), r.topic(), r.partition(), r.offset()),
                                new long[] {r.partition(), r.offset()});
                    } else if (r.topic().equals(topics.masks().name())) {
                        Output m = new Output(FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"),
                                key(r), r.partition(), r.offset());
                        masks.add(m);
                        outputs.computeIfAbsent(m.frameId(), k -> new ArrayList<>()).add(m);
                    } else {
                        deadLetters++;
                        String id = FrameHeaders.frameIdOrSource(r.headers(),
                                FrameHeaders.text(r.headers(), FrameHeaders.DLQ_SOURCE_TOPIC).orElse(""),
                                (int) FrameHeaders.number(r.headers(), FrameHeaders.DLQ_SOURCE_PARTITION).orElse(-1),
                                FrameHeaders.number(r.headers(), FrameHeaders.DLQ_SOURCE_OFFSET).orElse(-1));
                        outputs.computeIfAbsent(id, k -> new ArrayList<>()).add(new Output(id, key(r), r.partition(), r.offset()));
                    }
                }
            }
        }
        return judge(frames, outputs, masks, deadLetters);
    }

    private static EosVerdict judge(Map<String, long[]> frames, Map<String, List<Output>> outputs, List<Output> masks,
                                    long deadLetters) {
        List<String> examples = new ArrayList<>();
        long lost = 0;
        for (String id : frames.keySet()) {
            if (!outputs.containsKey(id)) {
                lost++;
                example(examples, "lost " + id);
            }
        }
        long duplicated = 0;
        long orphans = 0;
        for (Map.Entry<String, List<Output>> e : outputs.entrySet()) {
            duplicated += e.getValue().size() - 1;
            if (e.getValue().size() > 1) {
                example(examples, "duplicated " + e.getKey());
            }
            if (!frames.containsKey(e.getKey())) {
                orphans += e.getValue().size();
                example(examples, "orphan " + e.getKey());
            }
        }
        long outOfOrder = outOfOrder(frames, masks, examples);
        return new EosVerdict(frames.size(), masks.size(), deadLetters, lost, duplicated, orphans, outOfOrder,
                List.copyOf(examples));
    }

    /** Masks of one camera, in the order they were written, must name its frames in their order. */
    private static long outOfOrder(Map<String, long[]> frames, List<Output> masks, List<String> examples) {
        Map<String, List<Output>> byCamera = new HashMap<>();
        for (Output m : masks) {
            byCamera.computeIfAbsent(m.camera(), k -> new ArrayList<>()).add(m);
        }
        long violations = 0;
        for (List<Output> camera : byCamera.values()) {
            camera.sort(Comparator.comparingInt(Output::partition).thenComparingLong(Output::offset));
            long[] last = null;
            for (Output m : camera) {
                long[] frame = frames.get(m.frameId());
                if (frame == null) {
                    continue; // an orphan, counted as such
                }
                if (last != null && frame[0] == last[0] && frame[1] < last[1]) {
                    violations++;
                    example(examples, "out of order " + m.frameId());
                }
                last = frame;
            }
        }
        return violations;
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 5) {
            examples.add(text);
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "segstream-verify-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One mask or dead letter: which frame, which camera, where it was written. */
    private record Output(String frameId, String camera, int partition, long offset) {
    }
}
