package dev.segstream.ops.faults;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.testing.ChildJvm;
import dev.segstream.ops.verify.EosVerdict;
import dev.segstream.ops.verify.EosVerifier;
import dev.segstream.segmenter.SegmenterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the segmenter fault tests share: one set of topics per test, a small fast model, segmenter
 * processes started with {@code SegmenterMain} in child JVMs (each with its own state directory
 * and log), camera keys spread over every frames partition, and the exactly-once verdict.
 */
final class SegmenterFaultRig {

    private final String bootstrapServers;
    private final Map<String, Object> clientProps;
    private final Path tmp;
    private final String appId;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Topics topics;
    private final AtomicInteger starts = new AtomicInteger();

    SegmenterFaultRig(String bootstrapServers, Map<String, Object> clientProps, Path tmp, Map<String, String> extra) {
        this.bootstrapServers = bootstrapServers;
        this.clientProps = Map.copyOf(clientProps);
        this.tmp = tmp;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.appId = "segmenter-faults-" + suffix;
        for (String t : List.of("frames", "masks", "labelled", "dlq", "models")) {
            settings.put("topic." + t, t + "-" + suffix);
        }
        settings.put(SegmenterConfig.MODEL_FILTERS, "8");
        settings.put(SegmenterConfig.MODEL_THREADS, "1");
        settings.put(SegmenterConfig.MAX_BATCH_SIZE, "8");
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "20");
        settings.putAll(extra);
        this.topics = new SegmenterConfig(new LinkedHashMap<>(settings)).topics();
    }

    Topics topics() {
        return topics;
    }

    String applicationId() {
        return appId;
    }

    /**
     * Starts a segmenter process with a fresh state directory (a replacement container: nothing of
     * the dead one's local state, so its stores are restored from their changelogs).
     *
     * @param clientId the Kafka client.id prefix of its clients, to tell instances apart in the group
     */
    ChildJvm startSegmenter(String clientId) throws Exception {
        int n = starts.incrementAndGet();
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers, "--metrics-port", "-1",
                "--application-id", appId,
                "--kafka", StreamsConfig.STATE_DIR_CONFIG + "=" + tmp.resolve("state-" + n),
                "--kafka", StreamsConfig.CLIENT_ID_CONFIG + "=" + clientId));
        settings.forEach((k, v) -> args.addAll(List.of("--kafka", k + "=" + v)));
        return ChildJvm.start("dev.segstream.segmenter.SegmenterMain", args, 512,
                tmp.resolve("segmenter-" + n + "-" + clientId + ".log"));
    }

    /**
     * {@code perPartition} camera names for each of the frames topic's partitions (the producer's
     * default partitioner hashes the key with murmur2), so every partition carries frames.
     */
    List<String> camerasCoveringPartitions(int perPartition) {
        int partitions = topics.frames().partitions();
        List<List<String>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (int i = 0; byPartition.stream().anyMatch(l -> l.size() < perPartition); i++) {
            String cam = "cam" + i;
            int p = Utils.toPositive(Utils.murmur2(cam.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            if (byPartition.get(p).size() < perPartition) {
                byPartition.get(p).add(cam);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < perPartition; i++) {
            for (List<String> l : byPartition) {
                out.add(l.get(i));
            }
        }
        return out;
    }

    FrameStream frames(List<String> cameras, int total, int badEvery, long paceMs) {
        return new FrameStream(clientProps, topics.frames().name(), cameras, total, badEvery, paceMs);
    }

    OutputWatcher watcher() {
        return new OutputWatcher(clientProps, topics.masks().name(), topics.dlq().name());
    }

    EosVerdict verify() {
        EosVerdict verdict = new EosVerifier(clientProps, topics).verify(Duration.ofSeconds(60));
        System.out.println("EOS verdict: " + verdict);
        return verdict;
    }
}
