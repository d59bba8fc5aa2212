package dev.segstream.ops.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.ops.testing.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The verifier on a real broker, with outputs written by hand: it passes a clean run and finds
 * each kind of fault it exists for (a lost frame, a duplicated mask, an orphan, masks of a camera
 * out of frame order, an aborted transaction's mask it must not count).
 */
class EosVerifierTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Test
    void shouldPassWhenEveryFrameHasOneOutputInOrder() throws Exception {
        Topics topics = topics();
        try (KafkaProducer<String, byte[]> p = producer()) {
            for (int i = 0; i < 6; i++) {
                frame(p, topics, "cam-" + (i % 2), "f" + i);
            }
            for (int i = 0; i < 5; i++) {
                mask(p, topics, "cam-" + (i % 2), "f" + i);
            }
            deadLetter(p, topics, "cam-1", "f5");
        }
        EosVerdict v = new EosVerifier(KAFKA.clientProperties(), topics).verify(Duration.ofSeconds(30));
        assertThat(v.passed()).as(v.toString()).isTrue();
        assertThat(v).extracting(EosVerdict::sent, EosVerdict::masks, EosVerdict::deadLetters).containsExactly(6L, 5L, 1L);
    }

    @Test
    void shouldFindLostDuplicatedOrphanAndReorderedOutputsWhenTheyAreThere() throws Exception {
        Topics topics = topics();
        try (KafkaProducer<String, byte[]> p = producer()) {
            for (int i = 0; i < 5; i++) {
                frame(p, topics, "cam", "f" + i);
            }
            mask(p, topics, "cam", "f0");
            mask(p, topics, "cam", "f2"); // f1 after f2: out of order
            mask(p, topics, "cam", "f1");
            mask(p, topics, "cam", "f2"); // duplicate of f2
            mask(p, topics, "cam", "ghost"); // orphan
            // f3 and f4 have no output: lost
            mask(p, topics, "cam", "f4-never-sent");
        }
        EosVerdict v = new EosVerifier(KAFKA.clientProperties(), topics).verify(Duration.ofSeconds(30));
        System.out.println("seeded faults: " + v);
        assertThat(v.passed()).isFalse();
        assertThat(v.lost()).isEqualTo(2);
        assertThat(v.duplicated()).isEqualTo(1);
        assertThat(v.orphans()).isEqualTo(2);
        assertThat(v.outOfOrder()).isPositive();
    }

    @Test
    void shouldIgnoreAbortedOutputsWhenReadingCommitted() throws Exception {
        Topics topics = topics();
        try (KafkaProducer<String, byte[]> p = producer()) {
            frame(p, topics, "cam", "f0");
        }
        Map<String, Object> tx = new HashMap<>(KAFKA.clientProperties());
        tx.put("transactional.id", "verifier-test-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(tx, new StringSerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            mask(p, topics, "cam", "f0");
            p.abortTransaction(); // a zombie's output: never visible to read-committed
            p.beginTransaction();
            mask(p, topics, "cam", "f0");
            p.commitTransaction();
        }
        EosVerdict v = new EosVerifier(KAFKA.clientProperties(), topics).verify(Duration.ofSeconds(30));
        assertThat(v.passed()).as(v.toString()).isTrue();
        assertThat(v.masks()).isEqualTo(1);
    }

    private static Topics topics() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = Topics.from(new AbstractConfig(TopicsConfig.define(new ConfigDef()), Map.of(
                TopicsConfig.FRAMES_TOPIC, "frames-" + s, TopicsConfig.MASKS_TOPIC, "masks-" + s,
                TopicsConfig.LABELLED_TOPIC, "labelled-" + s, TopicsConfig.DLQ_TOPIC, "dlq-" + s)));
        KAFKA.createTopics(topics);
        return topics;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer());
    }

    private static void frame(KafkaProducer<String, byte[]> p, Topics t, String camera, String id) throws Exception {
        send(p, t.frames().name(), camera, id, Map.of());
    }

    private static void mask(KafkaProducer<String, byte[]> p, Topics t, String camera, String id) throws Exception {
        send(p, t.masks().name(), camera, id, Map.of());
    }

    private static void deadLetter(KafkaProducer<String, byte[]> p, Topics t, String camera, String id) throws Exception {
        send(p, t.dlq().name(), camera, id, Map.of(FrameHeaders.DLQ_REASON, "undecodable"));
    }

    private static void send(KafkaProducer<String, byte[]> p, String topic, String key, String frameId,
                             Map<String, String> extra) throws Exception {
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.FRAME_ID, frameId.getBytes(StandardCharsets.UTF_8));
        extra.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, key, new byte[] {1}, h);
        p.send(r).get();
    }
}
