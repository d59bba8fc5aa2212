package dev.segstream.ops.testing;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An {@link EmbeddedKafkaBroker} for a test class: a real Kafka 4.3.1 broker in this JVM on a free
 * port with a temporary data directory, started before the first test and stopped (data deleted)
 * after the last one. Register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final InProcessKafka KAFKA = new InProcessKafka();
 * ...
 * KAFKA.createTopics(Topics.defaults());
 * new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), ...);
 * }</pre>
 *
 * <p>Outside JUnit, {@link #start()} and {@link #close()} do the same by hand.
 */
public final class InProcessKafka implements KafkaBrokerFixture, BeforeAllCallback, AfterAllCallback,
        AutoCloseable {

    private final EmbeddedKafkaBroker broker;

    /** A broker with the default settings of {@link EmbeddedKafkaBroker}. */
    public InProcessKafka() {
        this(Map.of());
    }

    /** A broker whose server settings are overlaid with {@code serverOverrides}. */
    public InProcessKafka(Map<String, String> serverOverrides) {
        this.broker = new EmbeddedKafkaBroker(serverOverrides);
    }

    /** Starts the broker unless it is running; returns this. */
    public synchronized InProcessKafka start() {
        if (!broker.isRunning()) {
            broker.start(0, null);
        }
        return this;
    }

    /** The broker itself, for lifecycle tests (restart, data directory). */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void createTopics(Topics topics) {
        broker.createTopics(topics);
    }

    @Override
    public String description() {
        return "in-process Kafka broker";
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        broker.close();
    }
}
