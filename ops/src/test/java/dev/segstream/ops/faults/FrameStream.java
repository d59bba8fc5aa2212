package dev.segstream.ops.faults;

import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A camera feed for fault tests: {@code total} frames {@code f-0..} (64x48 noise PNGs, keyed by
 * camera in round robin) sent at a steady pace on its own thread by an idempotent producer, so the
 * frames of each camera land in order while services are killed. Every {@code badEvery}-th frame
 * is undecodable (alternately text and a corrupted PNG) so dead letters are part of the check.
 * It remembers when and to which partition each frame went; {@link #holdAt} keeps the tail back
 * until {@link #release()}, so frames are still coming when the last fault is injected.
 */
final class FrameStream implements AutoCloseable {

    static final int WIDTH = 64;
    static final int HEIGHT = 48;

    private final Map<String, Object> props;
    private final String topic;
    private final List<String> cameras;
    private final int total;
    private final int badEvery;
    private final long paceMs;
    private final AtomicLongArray sentAtMs;
    private final AtomicReferenceArray<Integer> partitions;
    private final AtomicInteger sent = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile int holdAt = Integer.MAX_VALUE;

    FrameStream(Map<String, Object> clientProps, String topic, List<String> cameras, int total, int badEvery,
                long paceMs) {
        this.props = new HashMap<>(clientProps);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.topic = topic;
        this.cameras = List.copyOf(cameras);
        this.total = total;
        this.badEvery = badEvery;
        this.paceMs = paceMs;
        this.sentAtMs = new AtomicLongArray(total);
        this.partitions = new AtomicReferenceArray<>(total);
        this.thread = new Thread(this::run, "fault-frame-stream");
        thread.setDaemon(true);
    }

    /** Keeps frames from {@code index} on back until {@link #release()}; call before {@link #start()}. */
    FrameStream holdAt(int index) {
        this.holdAt = index;
        return this;
    }

    FrameStream start() {
        thread.start();
        return this;
    }

    void release() {
        released.countDown();
    }

    /** Frames sent and acknowledged so far. */
    int sent() {
        return sent.get();
    }

    int total() {
        return total;
    }

    /** How many of the {@code total} frames are undecodable (dead letters expected). */
    int badFrames() {
        int n = 0;
        for (int i = 0; i < total; i++) {
            n += isBad(i) ? 1 : 0;
        }
        return n;
    }

    boolean isBad(int i) {
        return badEvery > 0 && i % badEvery == badEvery / 2;
    }

    /** Partition frame {@code f-i} went to, or -1 before it was acknowledged. */
    int partitionOf(String frameId) {
        Integer p = partitions.get(Integer.parseInt(frameId.substring(2)));
        return p == null ? -1 : p;
    }

    /** When frame {@code f-i} was handed to the producer (epoch ms), 0 before. */
    long sentAtMs(String frameId) {
        return sentAtMs.get(Integer.parseInt(frameId.substring(2)));
    }

    /** Waits until every frame is acknowledged; rethrows a send failure. */
    void awaitDone(long timeoutMs) throws InterruptedException {
        thread.join(timeoutMs);
        if (failure.get() != null) {
            throw new IllegalStateException("frame stream failed", failure.get());
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("frame stream not done after " + timeoutMs + " ms: " + sent() + " sent");
        }
    }

    private void run() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < total; i++) {
                if (i == holdAt) {
                    producer.flush();
                    released.await();
                }
                RecordHeaders headers = new RecordHeaders();
                FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "f-" + i);
                FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(System.currentTimeMillis()));
                final int index = i;
                sentAtMs.set(i, System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topic, null, cameras.get(i % cameras.size()), payload(i), headers),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                partitions.set(index, md.partition());
                                sent.incrementAndGet();
                            }
                        });
                // the pace of a camera feed: frames keep arriving while services die and restart
                TimeUnit.MILLISECONDS.sleep(paceMs);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private byte[] payload(int i) {
        if (!isBad(i)) {
            return noisePng(i);
        }
        if ((i / badEvery) % 2 == 0) {
            return ("not an image " + i).getBytes(StandardCharsets.UTF_8);
        }
        byte[] corrupt = noisePng(i);
        for (int b = 60; b < corrupt.length - 12; b++) {
            corrupt[b] ^= 0x5a;
        }
        return corrupt;
    }

    static byte[] noisePng(long seed) {
        byte[] rgb = new byte[WIDTH * HEIGHT * 3];
        new Random(seed).nextBytes(rgb);
        return ImageCodec.encodePng(new RgbImage(WIDTH, HEIGHT, rgb));
    }

    @Override
    public void close() throws InterruptedException {
        release();
        thread.interrupt();
        thread.join(10_000);
    }
}
