package dev.segstream.ops.broker;

import dev.segstream.core.topic.TopicSpec;
import dev.segstream.core.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics of a {@link Topics} registry on any Kafka cluster, idempotently: topics
 * that already exist are left untouched (their partitions and configs are not changed).
 */
public final class TopicProvisioner {

    private static final long TIMEOUT_SECONDS = 60;

    private TopicProvisioner() {
    }

    /**
     * Creates the registry's topics on the cluster at {@code bootstrapServers}.
     *
     * @return names of the topics that were newly created, in registry order
     */
    public static List<String> createTopics(String bootstrapServers, Topics topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return createTopics(admin, topics);
        }
    }

    /**
     * Creates the registry's topics with {@code admin} and waits until every one of them is
     * described by the cluster.
     *
     * @return names of the topics that were newly created, in registry order
     * @throws IllegalStateException naming the topic when creating one fails for another reason
     *                               than that it exists
     */
    public static List<String> createTopics(Admin admin, Topics topics) {
        List<NewTopic> requests = topics.all().stream().map(TopicSpec::newTopic).toList();
        CreateTopicsResult result = admin.createTopics(requests);
        List<String> created = new ArrayList<>();
        for (NewTopic t : requests) {
            try {
                result.values().get(t.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(t.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + t.name() + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + t.name(), e);
            }
        }
        awaitVisible(admin, requests.stream().map(NewTopic::name).toList());
        return created;
    }

    /**
     * Creation is acknowledged by the controller before the broker's metadata cache has the topic,
     * so a describe right after it can fail with {@link UnknownTopicOrPartitionException}: retry
     * until every topic is described or the timeout passes.
     */
    private static void awaitVisible(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                KafkaFuture.allOf(admin.describeTopics(names).topicNameValues().values().toArray(KafkaFuture[]::new))
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " not visible after creation: " + e, e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("topics " + names + " not visible after creation: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topics " + names, e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topics " + names, e);
            }
        }
    }
}
