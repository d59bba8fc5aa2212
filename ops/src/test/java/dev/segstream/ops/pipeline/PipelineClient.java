package dev.segstream.ops.pipeline;

import dev.segstream.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A user's view of the pipeline in tests: publish frames, collect committed outputs. */
final class PipelineClient {

    private final Map<String, Object> clientProps;
    private final Topics topics;

    PipelineClient(Map<String, Object> clientProps, Topics topics) {
        this.clientProps = clientProps;
        this.topics = topics;
    }

    /** Sends records to the frames topic and waits for the broker's acknowledgement. */
    void publish(List<ProducerRecord<String, byte[]>> records) throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(clientProps);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r).get();
            }
        }
    }

    /** Reads committed records of {@code topic} from the start until {@code done} holds or the timeout. */
    List<ConsumerRecord<String, byte[]>> collect(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                 Duration timeout) {
        Map<String, Object> c = new java.util.HashMap<>(clientProps);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more short poll: anything beyond what was expected (a duplicate) shows up here.
            consumer.poll(Duration.ofMillis(1500)).forEach(out::add);
        }
        return out;
    }

    Topics topics() {
        return topics;
    }
}
