package dev.segstream.ops.testing;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import dev.segstream.ops.broker.TopicProvisioner;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a Docker container ({@link KafkaContainer}, image {@value #DEFAULT_IMAGE} unless
 * the system property {@value #IMAGE_PROPERTY} names another), configured like the in-process
 * broker: large messages, no topic auto-creation, one-replica internal topics, no initial
 * rebalance delay. One container per test class; register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ContainerKafka KAFKA = new ContainerKafka();
 * }</pre>
 *
 * <p>Without a reachable Docker engine the whole test class is <em>skipped</em> (not failed), with
 * the reason {@code "Docker not available: ..."} shown by JUnit and printed to the test output.
 */
public final class ContainerKafka implements KafkaBrokerFixture, ExecutionCondition, BeforeAllCallback,
        AfterAllCallback {

    /** Image used unless {@value #IMAGE_PROPERTY} is set. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";
    /** System property naming another Kafka image. */
    public static final String IMAGE_PROPERTY = "segstream.test.kafka.image";

    private static volatile String dockerProblem;
    private static volatile boolean dockerChecked;

    private final String image;
    private KafkaContainer container;

    /** A container of the default (or {@value #IMAGE_PROPERTY}) image. */
    public ContainerKafka() {
        this(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
    }

    /** A container of {@code image}, an {@code apache/kafka} image or compatible. */
    public ContainerKafka(String image) {
        this.image = image;
    }

    /**
     * Why Docker cannot be used, or {@code null} when it can. Asked once per JVM: Testcontainers
     * probes the environment (DOCKER_HOST, the socket, ~/.testcontainers.properties).
     */
    public static synchronized String dockerProblem() {
        if (!dockerChecked) {
            String problem = null;
            try {
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    problem = "Testcontainers found no working Docker environment";
                }
            } catch (RuntimeException | LinkageError e) {
                problem = e.toString();
            }
            dockerProblem = problem;
            dockerChecked = true;
        }
        return dockerProblem;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = dockerProblem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("Docker is available");
        }
        String reason = "Docker not available: " + problem + "; skipping the container variant ("
                + image + ")";
        if (context.getTestMethod().isEmpty()) {
            // JUnit reports the reason to listeners; print it too so it shows in plain build logs.
            System.out.println("[ContainerKafka] " + context.getDisplayName() + " skipped: " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Starts the container unless it is running; returns this. */
    public synchronized ContainerKafka start() {
        if (container == null) {
            String max = String.valueOf(EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
            KafkaContainer c = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", max)
                    .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", max)
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
            c.start();
            container = c;
        }
        return this;
    }

    @Override
    public String bootstrapServers() {
        if (container == null) {
            throw new IllegalStateException("container not started");
        }
        return container.getBootstrapServers();
    }

    @Override
    public void createTopics(Topics topics) {
        TopicProvisioner.createTopics(bootstrapServers(), topics);
    }

    @Override
    public String description() {
        return "Kafka container " + image;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}
