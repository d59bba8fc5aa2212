package dev.segstream.ops.broker;

import dev.segstream.ops.testing.ContainerKafka;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BrokerRoundTripContract} against a Kafka container; skipped, with the reason, when no
 * Docker engine is reachable.
 */
class BrokerRoundTripContainerTest extends BrokerRoundTripContract {

    @RegisterExtension
    static final ContainerKafka KAFKA = new ContainerKafka();

    @Override
    protected KafkaBrokerFixture broker() {
        return KAFKA;
    }
}
