package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.LabelledFrameSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FrameProducerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockProducer<String, byte[]> mock =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private static ProducerConfig config(Object... pairs) {
        Map<String, Object> m = new HashMap<>(Map.of(ProducerConfig.FPS, "0", "metrics.port", "-1"));
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return new ProducerConfig(m);
    }

    @Test
    void shouldSendKeyImageAndHeadersWhenPublishingRoundRobin() throws Exception {
        ListSource source = new ListSource(false).add("camA", 3, false).add("camB", 3, false);
        long before = System.currentTimeMillis();
        try (FrameProducer p = new FrameProducer(config(), source, mock, registry)) {
            assertThat(p.runFor(4)).isEqualTo(4);
        }
        long after = System.currentTimeMillis();
        List<ProducerRecord<String, byte[]>> sent = mock.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsOnly("frames");
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("camA", "camB", "camA", "camB");
        assertThat(sent).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow())
                .containsExactly("camA-0", "camB-0", "camA-1", "camB-1");
        for (ProducerRecord<String, byte[]> r : sent) {
            String id = FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow();
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("image:" + id);
            long ts = FrameHeaders.number(r.headers(), FrameHeaders.FRAME_TS).orElseThrow();
            assertThat(ts).isBetween(before, after).isEqualTo(r.timestamp());
        }
        assertThat(mock.closed()).isTrue();
        assertThat(source.closed).isTrue();
    }

    @Test
    void shouldCopyMaskedFramesToLabelledTopicWhenFrameHasMask() throws Exception {
        ListSource source = new ListSource(false).add("lab", 2, true).add("raw", 2, false);
        FrameProducer p = new FrameProducer(config(ProducerConfig.FRAMES_MAX, "4"), source, mock, registry);
        assertThat(p.run()).isEqualTo(4);
        List<ProducerRecord<String, byte[]>> labelled = mock.history().stream()
                .filter(r -> r.topic().equals("frames.labelled")).toList();
        assertThat(mock.history().stream().filter(r -> r.topic().equals("frames"))).hasSize(4);
        assertThat(labelled).hasSize(2).extracting(ProducerRecord::key).containsOnly("lab");
        LabelledFrame first = new LabelledFrameSerde().deserializer().deserialize("frames.labelled",
                labelled.get(0).value());
        assertThat(new String(first.image(), StandardCharsets.UTF_8)).isEqualTo("image:lab-0");
        assertThat(new String(first.mask(), StandardCharsets.UTF_8)).isEqualTo("mask:lab-0");
        assertThat(FrameHeaders.text(labelled.get(0).headers(), FrameHeaders.FRAME_ID)).contains("lab-0");
        assertThat(FrameHeaders.number(labelled.get(0).headers(), FrameHeaders.FRAME_TS)).isPresent();
        assertThat(p.framesSent()).isEqualTo(4);
        assertThat(p.labelledSent()).isEqualTo(2);
        assertThat(p.sendErrors()).isZero();
        assertThat(registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "ok").functionCounter().count())
                .isEqualTo(4);
        assertThat(registry.get(ProducerMetrics.LABELLED).tag(ProducerMetrics.OUTCOME, "ok").functionCounter().count())
                .isEqualTo(2);
        p.close();
    }

    @Test
    void shouldPaceEachCameraAtFpsWhenFpsIsSet() throws Exception {
        ListSource source = new ListSource(true).add("a", 1, false).add("b", 1, false).add("c", 1, false)
                .add("d", 1, false);
        try (FrameProducer p = new FrameProducer(config(ProducerConfig.FPS, "25"), source, mock, registry)) {
            long start = System.nanoTime();
            p.runFor(31);
            double seconds = (System.nanoTime() - start) / 1e9;
            // 4 cameras x 25 fps = one frame per 10 ms; the first goes at once.
            assertThat(seconds).isBetween(0.29, 3.0);
        }
        assertThat(mock.history()).hasSize(31);
        long[] perCamera = mock.history().stream().collect(
                java.util.stream.Collectors.groupingBy(ProducerRecord::key, java.util.stream.Collectors.counting()))
                .values().stream().mapToLong(Long::longValue).toArray();
        assertThat(perCamera).containsExactlyInAnyOrder(8, 8, 8, 7);
    }

    @Test
    void shouldStopAndFlushWhenStoppedFromAnotherThread() throws Exception {
        ListSource source = new ListSource(true).add("a", 2, true);
        FrameProducer p = new FrameProducer(config(ProducerConfig.FPS, "20"), source, mock, registry);
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(() -> {
            try {
                return p.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(run).isNotDone();
        long start = System.nanoTime();
        p.close();
        assertThat(run.get(5, TimeUnit.SECONDS)).isPositive();
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
        assertThat(mock.flushed()).isTrue();
        assertThat(mock.closed()).isTrue();
        assertThat(p.framesDispatched()).isEqualTo(mock.history().stream().filter(r -> r.topic().equals("frames"))
                .count());
        assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldEndWhenNonLoopingSourceRunsOut() throws Exception {
        ListSource source = new ListSource(false).add("long", 3, false).add("short", 1, false);
        try (FrameProducer p = new FrameProducer(config(), source, mock, registry)) {
            assertThat(p.run()).isEqualTo(4);
        }
        assertThat(mock.history()).extracting(ProducerRecord::key).containsExactly("long", "short", "long", "long");
    }

    @Test
    void shouldCountErrorsAndKeepGoingWhenSendsFail() throws Exception {
        MockProducer<String, byte[]> failing = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> r, Callback cb) {
                if (r.key().equals("bad")) {
                    RecordTooLargeException e = new RecordTooLargeException("too large");
                    cb.onCompletion(null, e);
                    return CompletableFuture.failedFuture(e);
                }
                return super.send(r, cb);
            }
        };
        ListSource source = new ListSource(false).add("bad", 2, true).add("good", 2, true);
        try (FrameProducer p = new FrameProducer(config(), source, failing, registry)) {
            assertThat(p.run()).isEqualTo(4);
            assertThat(p.framesSent()).isEqualTo(2);
            assertThat(p.labelledSent()).isEqualTo(2);
            assertThat(p.sendErrors()).isEqualTo(4);
        }
        assertThat(registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "error").functionCounter().count())
                .isEqualTo(2);
    }

    @Test
    void shouldTellListenerFrameIdAndTimestampWhenAcknowledged() throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ListSource source = new ListSource(false).add("a", 3, true);
        try (FrameProducer p = new FrameProducer(config(), source, mock, registry)) {
            p.setSendListener((camera, frameId, ts) -> sentAt.put(camera + "/" + frameId, ts));
            p.run();
        }
        assertThat(sentAt).containsOnlyKeys("a/a-0", "a/a-1", "a/a-2");
        ProducerRecord<String, byte[]> first = mock.history().get(0);
        assertThat(sentAt.get("a/a-0")).isEqualTo(FrameHeaders.number(first.headers(), FrameHeaders.FRAME_TS)
                .orElseThrow());
    }

    @Test
    void shouldUseReliableDefaultsAndLetClientSettingsWinWhenBuildingKafkaProps() {
        Map<String, Object> props = FrameProducer.kafkaProps(config("compression.type", "zstd",
                "security.protocol", "SSL", "bootstrap.servers", "k1:9093"));
        assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 5).containsEntry("max.request.size", 8 * 1024 * 1024)
                .containsEntry("compression.type", "zstd").containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "k1:9093")
                .doesNotContainKeys(ProducerConfig.FPS, ProducerConfig.SOURCE_DIR, "metrics.port");
        assertThat(FrameProducer.kafkaProps(config())).containsEntry("compression.type", "lz4");
    }

    @Test
    void shouldSkipAndCountFrameWhenItsSourceCannotBeRead() throws Exception {
        // A file deleted or corrupted on disk after the folder was listed: next() fails for frame 1.
        FrameSource flaky = new FrameSource() {
            @Override
            public List<String> cameras() {
                return List.of("camA");
            }

            @Override
            public java.util.Iterator<SourceFrame> frames(String cameraId) {
                return new java.util.Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < 3;
                    }

                    @Override
                    public SourceFrame next() {
                        int n = i++;
                        if (n == 1) {
                            throw new java.io.UncheckedIOException("cannot read camA-1",
                                    new java.io.IOException("Input/output error"));
                        }
                        return new SourceFrame("camA", "camA-" + n, ("image:camA-" + n).getBytes(StandardCharsets.UTF_8), null);
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        try (FrameProducer p = new FrameProducer(config(), flaky, mock, registry)) {
            assertThat(p.runFor(0)).isEqualTo(2);
            assertThat(p.unreadable()).isEqualTo(1);
        }
        assertThat(mock.history()).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow())
                .containsExactly("camA-0", "camA-2");
        assertThat(registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "unreadable").functionCounter().count())
                .isEqualTo(1.0);
    }
}
