package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One batcher per JVM: frames of every partition, task and stream thread join the same batch: with
 * a long batch delay, masks come from one batch that filled up with frames of all four partitions,
 * spread over two stream threads. And the longest delay does not hold up the service's close.
 */
class SegmenterSharedBatchTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final int PARTITIONS = 4;
    private static final int BATCH = 8;

    @Test
    void shouldFillOneBatchFromAllPartitionsAndThreadsWhenFramesArriveTogether() throws Exception {
        Map<String, Object> settings = settings(PARTITIONS, 2);
        settings.put(SegmenterConfig.MAX_BATCH_SIZE, Integer.toString(BATCH));
        // long enough for the 8 frames published together to share one batch. Not 60 s: in one
        // fresh-clone CI run on a slow host this test then took 33.6 s and its Streams client,
        // whose close had used up its 30 s timeout, outlived the test (reconnecting to the stopped
        // broker through every later test), although close() drains the batcher; 10 s never did
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "10000");
        SegmenterConfig config = new SegmenterConfig(settings);
        Topics topics = config.topics();
        KAFKA.createTopics(topics);

        List<String> cameras = camerasCoveringEveryPartition(BATCH / PARTITIONS);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < cameras.size(); i++) {
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "shared-" + i);
            records.add(new ProducerRecord<>(topics.frames().name(), null, cameras.get(i),
                    SegmenterPipelineContract.noisePng(48, 32, i), headers));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        try (SegmenterService segmenter = new SegmenterService(config, registry)) {
            segmenter.start();
            client.publish(records);
            List<ConsumerRecord<String, byte[]>> masks = client.collect(topics.masks().name(),
                    out -> out.size() >= BATCH, Duration.ofSeconds(50));

            assertThat(masks).hasSize(BATCH);
            assertThat(masks.stream().map(ConsumerRecord::partition).distinct()).hasSize(PARTITIONS);
            HistogramSnapshot sizes = registry.get("segstream.segmenter.batch.size").summary().takeSnapshot();
            assertThat(sizes.count()).as("model calls").isEqualTo(1);
            assertThat(sizes.max()).isEqualTo(BATCH);
        }
    }

    @Test
    void shouldCloseWithinSecondsWhenAStreamThreadWaitsOnABatchDelay() throws Exception {
        Map<String, Object> settings = settings(1, 1);
        settings.put(SegmenterConfig.MAX_BATCH_SIZE, "2");
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "60000");
        // two frames of different sizes hold both slots in two half-full batches, which can only run
        // after their delay: the stream thread waits inside process() for a slot to take the third
        settings.put(SegmenterConfig.MAX_IN_FLIGHT_FRAMES, "2");
        SegmenterConfig config = new SegmenterConfig(settings);
        Topics topics = config.topics();
        KAFKA.createTopics(topics);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(new ProducerRecord<>(topics.frames().name(), null, "cam0",
                    SegmenterPipelineContract.noisePng(i == 1 ? 64 : 48, 32, i), new RecordHeaders()));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        SegmenterService segmenter = new SegmenterService(config, registry);
        segmenter.start();
        client.publish(records);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> registry.get("segstream.segmenter.batch.queued").gauge().value() == 2.0);

        long t0 = System.nanoTime();
        segmenter.close();
        double seconds = (System.nanoTime() - t0) / 1e9;

        // without draining the open batch, Streams' 30 s close timeout ran out first
        assertThat(seconds).isLessThan(20);
    }

    private static Map<String, Object> settings(int partitions, int streamThreads) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        settings.put(CommonConfig.METRICS_PORT, "-1");
        settings.put("topic.frames", "frames-" + suffix);
        settings.put("topic.masks", "masks-" + suffix);
        settings.put("topic.labelled", "labelled-" + suffix);
        settings.put("topic.dlq", "dlq-" + suffix);
        settings.put("topic.partitions", Integer.toString(partitions));
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-shared-" + suffix);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        settings.put(SegmenterConfig.MODEL_FILTERS, "8");
        return settings;
    }

    /** {@code perPartition} record keys for each partition, by the default partitioner's hash. */
    private static List<String> camerasCoveringEveryPartition(int perPartition) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.values().stream().mapToInt(List::size).sum() < perPartition * PARTITIONS; i++) {
            String key = "cam" + i;
            int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            List<String> keys = byPartition.computeIfAbsent(p, k -> new ArrayList<>());
            if (keys.size() < perPartition) {
                keys.add(key);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }
}
