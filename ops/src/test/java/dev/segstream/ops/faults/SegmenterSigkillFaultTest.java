package dev.segstream.ops.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.ops.testing.ChildJvm;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.ops.verify.EosVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's exactly-once system test, for the segmenter: a 2,000-frame stream from eight cameras
 * (ten of them undecodable), the segmenter in a child JVM killed with SIGKILL three times at
 * random moments while frames are produced and processed, each time replaced by a new process
 * with the same application id and an empty state directory (a container rescheduled on another
 * host: its pending-frame store must come back from the changelog, not from local files). Then
 * the read-committed verdict: every frame exactly one mask or dead letter, masks per camera in
 * frame order. Seed: {@code -Dfaults.seed=N} replays a run's kill moments.
 */
@Tag("faults")
class SegmenterSigkillFaultTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final int FRAMES = 2000;
    private static final int KILLS = 3;

    @Test
    void shouldWriteEveryOutputExactlyOnceWhenSegmenterIsKilledThreeTimesMidStream(@TempDir Path tmp)
            throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("faults.seed=" + seed);
        long t0 = System.currentTimeMillis();
        // 6 s, not 45: the replacement joins a group that still lists the dead member until its session expires
        SegmenterFaultRig rig = new SegmenterFaultRig(KAFKA.bootstrapServers(), KAFKA.clientProperties(), tmp,
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500"));
        KAFKA.createTopics(rig.topics());
        List<String> kills = new ArrayList<>();
        ChildJvm segmenter = rig.startSegmenter("seg-0");
        try (OutputWatcher watcher = rig.watcher();
             FrameStream stream = rig.frames(rig.camerasCoveringPartitions(2), FRAMES, 200, 25)) {
            // the last quarter waits for the last restart, so frames are still coming after every kill
            stream.holdAt(FRAMES * 3 / 4).start();
            for (int k = 1; k <= KILLS; k++) {
                int before = watcher.count();
                ChildJvm current = segmenter;
                await().atMost(Duration.ofMinutes(3)).failFast(() -> !current.isAlive())
                        .until(() -> watcher.count() >= before + 20);
                // a random moment while it is processing: mid-batch, mid-commit or mid-restore
                Thread.sleep(random.nextInt(3000));
                int outputsAtKill = watcher.count();
                int sentAtKill = stream.sent();
                segmenter.kill();
                kills.add(String.format("kill %d at %.1f s (frames sent %d, outputs committed %d)", k,
                        (System.currentTimeMillis() - t0) / 1000.0, sentAtKill, outputsAtKill));
                System.out.println(kills.get(kills.size() - 1));
                assertThat(outputsAtKill).as("killed while frames were still to be segmented").isLessThan(FRAMES);
                segmenter = rig.startSegmenter("seg-" + k);
            }
            stream.release();
            stream.awaitDone(180_000);
            ChildJvm last = segmenter;
            await().atMost(Duration.ofMinutes(4)).failFast(() -> !last.isAlive())
                    .until(() -> watcher.count() >= FRAMES);

            EosVerdict verdict = rig.verify();
            System.out.println("kills: " + kills);
            assertThat(verdict.passed()).as(verdict + "\n" + segmenter.logTail(40)).isTrue();
            assertThat(verdict.sent()).isEqualTo(FRAMES);
            assertThat(verdict.deadLetters()).isEqualTo(stream.badFrames());
            assertThat(verdict.masks()).isEqualTo(FRAMES - stream.badFrames());
            assertMasksDecode(watcher.seen());
            System.out.printf("wall time %.1f s%n", (System.currentTimeMillis() - t0) / 1000.0);
        } finally {
            segmenter.close();
        }
    }

    /** A sample of the masks: PNG class maps the size of their frame, every class a CamVid class. */
    static void assertMasksDecode(List<OutputWatcher.Seen> seen) {
        List<OutputWatcher.Seen> masks = seen.stream().filter(OutputWatcher.Seen::mask).toList();
        assertThat(masks).isNotEmpty();
        for (int i = 0; i < masks.size(); i += Math.max(1, masks.size() / 50)) {
            ClassMask mask = ImageCodec.decodeMaskPng(masks.get(i).value());
            assertThat(mask.width()).as(masks.get(i).frameId()).isEqualTo(FrameStream.WIDTH);
            assertThat(mask.height()).as(masks.get(i).frameId()).isEqualTo(FrameStream.HEIGHT);
            for (byte c : mask.classes()) {
                assertThat(Byte.toUnsignedInt(c)).isLessThan(CamVidClasses.COUNT);
            }
        }
    }
}
