package dev.segstream.ops.testing;

import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One node of a {@link KafkaCluster}, run in its own JVM so that a test can SIGKILL it: an
 * {@link EmbeddedKafkaBroker} on pre-formatted storage with the node's settings. Arguments: data
 * directory, client port, then {@code key=value} server settings. Prints {@value #READY} once it
 * accepts clients, then runs until killed.
 */
public final class ClusterNodeMain {

    /** The line printed once the node accepts clients. */
    public static final String READY = "CLUSTER-NODE-READY";

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings).start(Integer.parseInt(args[1]), Path.of(args[0]));
        System.out.println(READY + " " + broker.bootstrapServers());
        new CountDownLatch(1).await();
    }
}
