package dev.segstream.ops.pipeline;

import dev.segstream.ops.testing.ContainerKafka;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SegmenterPipelineContract} against a Kafka container; skipped with the reason without Docker. */
class SegmenterPipelineContainerTest extends SegmenterPipelineContract {

    @RegisterExtension
    static final ContainerKafka KAFKA = new ContainerKafka();

    @Override
    protected KafkaBrokerFixture broker() {
        return KAFKA;
    }
}
