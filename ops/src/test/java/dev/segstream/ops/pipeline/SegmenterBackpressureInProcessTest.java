package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the in-flight limit as small as one batch and every slot held by frames of other tasks on
 * the same stream thread, a frame arriving on a quiet partition must not stall the thread: only
 * that thread can write the other tasks' masks and free their slots.
 */
class SegmenterBackpressureInProcessTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Test
    void shouldAnswerEveryFrameWhenSlotsAreHeldByOtherTasksOfTheThread() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        settings.put(CommonConfig.METRICS_PORT, "-1");
        settings.put(TopicsConfig.FRAMES_TOPIC, "frames-" + suffix);
        settings.put(TopicsConfig.MASKS_TOPIC, "masks-" + suffix);
        settings.put(TopicsConfig.PARTITIONS, "4");
        settings.put(SegmenterConfig.MODEL_FILTERS, "4");
        settings.put(SegmenterConfig.MAX_BATCH_SIZE, "8");
        settings.put(SegmenterConfig.MAX_IN_FLIGHT_FRAMES, "8");
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "backpressure-" + suffix);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        SegmenterConfig config = new SegmenterConfig(settings);
        Topics topics = config.topics();
        KAFKA.createTopics(topics);

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        // Busy partitions first, then a burst on the partition that was quiet.
        for (int i = 0; i < 160; i++) {
            int partition = i < 120 ? i % 3 : 3;
            String id = "p" + partition + "-" + i;
            ids.add(id);
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
            records.add(new ProducerRecord<>(topics.frames().name(), partition, "cam" + partition,
                    SegmenterPipelineContract.noisePng(32, 32, i), headers));
        }
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        client.publish(records);
        try (SegmenterService segmenter = new SegmenterService(config, new SimpleMeterRegistry())) {
            segmenter.start();
            List<ConsumerRecord<String, byte[]>> masks = client.collect(topics.masks().name(),
                    out -> out.size() >= ids.size(), Duration.ofSeconds(90));
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : masks) {
                seen.add(FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"));
            }
            assertThat(masks).hasSize(ids.size());
            assertThat(seen).isEqualTo(ids);
        }
    }
}
