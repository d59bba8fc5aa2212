package dev.segstream.ops.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.ops.testing.ChildJvm;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.ops.verify.EosVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two segmenter processes share a four-partition frames topic under one application id; one is
 * killed with SIGKILL mid-stream and the survivor takes its partitions over (session timeout 6 s
 * instead of 45 s). "Masks flowing again" is the time from the SIGKILL until a read-committed
 * reader sees the first mask of a frame that was sent after the kill to a partition the killed
 * instance owned at the kill: that mask can only come from the survivor, and it shows that the
 * dead instance's open transaction no longer blocks those partitions. The verdict then requires
 * every frame exactly once.
 */
@Tag("faults")
class SegmenterTakeoverFaultTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final int FRAMES = 2000;

    @Test
    void shouldHaveSurvivorTakeOverEveryPartitionExactlyOnceWhenOneOfTwoInstancesIsKilled(@TempDir Path tmp)
            throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("faults.seed=" + seed);
        long t0 = System.currentTimeMillis();
        SegmenterFaultRig rig = new SegmenterFaultRig(KAFKA.bootstrapServers(), KAFKA.clientProperties(), tmp,
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500"));
        KAFKA.createTopics(rig.topics());
        assertThat(rig.topics().frames().partitions()).isGreaterThanOrEqualTo(4);
        ChildJvm a = rig.startSegmenter("seg-a");
        ChildJvm b = rig.startSegmenter("seg-b");
        try (Admin admin = Admin.create(KAFKA.clientProperties());
             OutputWatcher watcher = rig.watcher();
             FrameStream stream = rig.frames(rig.camerasCoveringPartitions(2), FRAMES, 200, 15)) {
            stream.holdAt(FRAMES * 3 / 4).start();
            // both instances own frames partitions and masks are flowing before the kill
            await().atMost(Duration.ofMinutes(3)).ignoreExceptions().failFast(() -> !a.isAlive() || !b.isAlive())
                    .until(() -> framesPartitions(admin, rig, "seg-a").size() + framesPartitions(admin, rig, "seg-b").size()
                            == rig.topics().frames().partitions()
                            && !framesPartitions(admin, rig, "seg-a").isEmpty()
                            && !framesPartitions(admin, rig, "seg-b").isEmpty()
                            && watcher.count() >= 100);
            Thread.sleep(random.nextInt(3000)); // a random moment mid-stream
            boolean killA = random.nextBoolean();
            ChildJvm victim = killA ? a : b;
            ChildJvm survivor = killA ? b : a;
            Set<Integer> owned = framesPartitions(admin, rig, killA ? "seg-a" : "seg-b");
            int sentAtKill = stream.sent();
            victim.kill();
            long killedAt = System.currentTimeMillis();
            System.out.printf("killed %s owning frames partitions %s at %.1f s (frames sent %d, outputs %d)%n",
                    killA ? "seg-a" : "seg-b", owned, (killedAt - t0) / 1000.0, sentAtKill, watcher.count());
            stream.release();

            await().atMost(Duration.ofMinutes(2)).failFast(() -> !survivor.isAlive())
                    .until(() -> firstTakenOver(watcher, stream, owned, killedAt).isPresent());
            long recoveredMs = firstTakenOver(watcher, stream, owned, killedAt).orElseThrow().seenAtMs() - killedAt;
            System.out.println("masks flowing again " + recoveredMs + " ms after the kill");

            stream.awaitDone(180_000);
            await().atMost(Duration.ofMinutes(4)).failFast(() -> !survivor.isAlive())
                    .until(() -> watcher.count() >= FRAMES);
            EosVerdict verdict = rig.verify();
            assertThat(verdict.passed()).as(verdict + "\n" + survivor.logTail(40)).isTrue();
            assertThat(verdict.sent()).isEqualTo(FRAMES);
            assertThat(verdict.deadLetters()).isEqualTo(stream.badFrames());
            assertThat(framesPartitions(admin, rig, killA ? "seg-b" : "seg-a"))
                    .as("the survivor owns every partition").hasSize(rig.topics().frames().partitions());
            SegmenterSigkillFaultTest.assertMasksDecode(watcher.seen());
            System.out.printf("wall time %.1f s%n", (System.currentTimeMillis() - t0) / 1000.0);
        } finally {
            a.close();
            b.close();
        }
    }

    /** The first mask of a frame sent after the kill to a partition the killed instance owned. */
    private static Optional<OutputWatcher.Seen> firstTakenOver(OutputWatcher watcher, FrameStream stream,
                                                               Set<Integer> owned, long killedAt) {
        return watcher.first(s -> s.mask() && !s.frameId().equals("?") && owned.contains(stream.partitionOf(s.frameId()))
                && stream.sentAtMs(s.frameId()) > killedAt);
    }

    /** Frames partitions assigned to the group members whose client id starts with {@code clientId}. */
    private static Set<Integer> framesPartitions(Admin admin, SegmenterFaultRig rig, String clientId) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(rig.applicationId())).all().get()
                .get(rig.applicationId());
        return group.members().stream().filter(m -> m.clientId().startsWith(clientId))
                .map(MemberDescription::assignment).flatMap(as -> as.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(rig.topics().frames().name())).map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }
}
