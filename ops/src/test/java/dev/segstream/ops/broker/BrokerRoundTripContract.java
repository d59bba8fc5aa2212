package dev.segstream.ops.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What segstream needs from any Kafka cluster, written once and run against every
 * {@link KafkaBrokerFixture}: {@link BrokerRoundTripInProcessTest} (the in-process broker) and
 * {@link BrokerRoundTripContainerTest} (a Docker container, skipped without Docker).
 *
 * <p>Tests share the class's broker and its topics, so each one reads only what it wrote: it
 * notes the end offsets of {@code frames} first and consumes from there.
 */
abstract class BrokerRoundTripContract {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The cluster under test, started for the whole class. */
    protected abstract KafkaBrokerFixture broker();

    private final Topics topics = Topics.defaults();

    @BeforeEach
    void createTopics() {
        broker().createTopics(topics);
    }

    @Test
    void shouldTolerateExistingTopicsWhenCreatedTwice() {
        broker().createTopics(topics);
        broker().createTopics(topics);
        try (KafkaConsumer<String, byte[]> c = consumer(IsolationLevel.READ_COMMITTED)) {
            Map<String, ?> listed = c.listTopics(WAIT);
            assertThat(listed).containsKeys("frames", "masks", "frames.labelled", "frames.dlq");
            assertThat(c.partitionsFor("frames", WAIT)).hasSize(topics.frames().partitions());
        }
    }

    @Test
    void shouldReturnRecordsInKeyOrderWithHeadersWhenHundredRecordsProduced() throws Exception {
        String topic = topics.frames().name();
        String run = UUID.randomUUID().toString();
        Map<TopicPartition, Long> start = endOffsets(topic);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 100; i++) {
                String key = "cam-" + (i % 7);
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, utf8(run + "/" + i));
                FrameHeaders.put(r.headers(), FrameHeaders.FRAME_ID, run + "-" + i);
                FrameHeaders.put(r.headers(), FrameHeaders.FRAME_TS, String.valueOf(1_700_000_000_000L + i));
                r.headers().add("binary", new byte[] {0, (byte) i, (byte) 0xFF});
                p.send(r);
            }
            p.flush();
        }

        List<ConsumerRecord<String, byte[]>> got = consumeFrom(start, IsolationLevel.READ_COMMITTED, 100);

        assertThat(got).hasSize(100);
        Map<String, List<Integer>> seqByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : got) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(value).startsWith(run + "/");
            int i = Integer.parseInt(value.substring(run.length() + 1));
            assertThat(r.key()).isEqualTo("cam-" + (i % 7));
            assertThat(FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID)).contains(run + "-" + i);
            assertThat(FrameHeaders.number(r.headers(), FrameHeaders.FRAME_TS)).hasValue(1_700_000_000_000L + i);
            Header binary = r.headers().lastHeader("binary");
            assertThat(binary.value()).containsExactly(0, (byte) i, (byte) 0xFF);
            seqByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(i);
        }
        assertThat(seqByKey).hasSize(7);
        seqByKey.forEach((key, seq) -> assertThat(seq).as("order of key %s", key).isSorted());
    }

    @Test
    void shouldHideAbortedRecordsWhenConsumerReadsCommitted() throws Exception {
        String topic = topics.frames().name();
        String run = UUID.randomUUID().toString();
        Map<TopicPartition, Long> start = endOffsets(topic);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "contract-" + run)), new StringSerializer(),
                new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(topic, "cam-" + i, utf8(run + "/committed-1/" + i)));
            }
            p.commitTransaction();
            p.beginTransaction();
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(topic, "cam-" + i, utf8(run + "/aborted/" + i)));
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(topic, "cam-" + i, utf8(run + "/committed-2/" + i)));
            }
            p.commitTransaction();
        }

        List<String> committed = values(consumeFrom(start, IsolationLevel.READ_COMMITTED, 10));
        assertThat(committed).hasSize(10).allMatch(v -> v.contains("/committed-")).noneMatch(v -> v.contains("/aborted/"));

        // The aborted records were written: an uncommitted reader sees them.
        List<String> uncommitted = values(consumeFrom(start, IsolationLevel.READ_UNCOMMITTED, 15));
        assertThat(uncommitted).hasSize(15).filteredOn(v -> v.contains("/aborted/")).hasSize(5);
    }

    @Test
    void shouldAcceptTwentyMegabyteValueWhenProducerMaxRequestSizeRaised() throws Exception {
        String topic = topics.frames().name();
        Map<TopicPartition, Long> start = endOffsets(topic);
        byte[] big = new byte[20 * 1024 * 1024];
        for (int i = 0; i < big.length; i += 4096) {
            big[i] = (byte) (i / 4096);
        }
        big[big.length - 1] = 42;
        RecordMetadata meta;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000)), new StringSerializer(), new ByteArraySerializer())) {
            meta = p.send(new ProducerRecord<>(topic, "cam-big", big)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(meta.serializedValueSize()).isEqualTo(big.length);
        assertThat(meta.offset()).isGreaterThanOrEqualTo(start.get(new TopicPartition(topic, meta.partition())));

        List<ConsumerRecord<String, byte[]>> got = consumeFrom(
                Map.of(new TopicPartition(topic, meta.partition()), meta.offset()), IsolationLevel.READ_COMMITTED, 1);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).value()).hasSize(big.length).isEqualTo(big);
    }

    @Test
    void shouldWriteEachResultOnceWhenStreamsRunsExactlyOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        String in = topics.frames().name();
        String out = topics.masks().name();
        Map<TopicPartition, Long> start = endOffsets(out);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .filter((k, v) -> new String(v, 0, Math.min(v.length, run.length()), StandardCharsets.UTF_8).equals(run))
                .mapValues(v -> utf8(new String(v, StandardCharsets.UTF_8) + "/mask"))
                .to(out, Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.putAll(broker().clientProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "contract-eos-" + run);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("contract-streams-").toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
            streams.start();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props(Map.of()), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(in, "cam-" + (i % 3), utf8(run + "/" + i)));
                }
                producer.flush();
            }
            List<String> masks = values(consumeFrom(start, IsolationLevel.READ_COMMITTED, 20));
            assertThat(masks).filteredOn(v -> v.startsWith(run)).hasSize(20).doesNotHaveDuplicates()
                    .allMatch(v -> v.endsWith("/mask"));
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Map<String, Object> props(Map<String, Object> extra) {
        Map<String, Object> p = broker().clientProperties();
        p.putAll(extra);
        return p;
    }

    private KafkaConsumer<String, byte[]> consumer(IsolationLevel isolation) {
        Map<String, Object> p = props(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(broker().clientProperties())) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** Reads from the given offsets until {@code expected} records arrived, then briefly for more. */
    private List<ConsumerRecord<String, byte[]>> consumeFrom(Map<TopicPartition, Long> from, IsolationLevel isolation,
                                                            int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer(isolation)) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(250)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    private static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
