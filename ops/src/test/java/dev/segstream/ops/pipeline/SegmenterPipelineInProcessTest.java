package dev.segstream.ops.pipeline;

import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SegmenterPipelineContract} against the in-process KRaft broker. */
class SegmenterPipelineInProcessTest extends SegmenterPipelineContract {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Override
    protected KafkaBrokerFixture broker() {
        return KAFKA;
    }
}
