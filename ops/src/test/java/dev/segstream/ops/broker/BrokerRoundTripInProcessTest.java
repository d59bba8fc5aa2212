package dev.segstream.ops.broker;

import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BrokerRoundTripContract} against the in-process KRaft broker. */
class BrokerRoundTripInProcessTest extends BrokerRoundTripContract {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Override
    protected KafkaBrokerFixture broker() {
        return KAFKA;
    }
}
