package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine thread count every service sets. */
class EngineThreadsTest {

    @Test
    void shouldUseOneThreadLessThanTheProcessorsWhenSetToZero() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(EngineThreads.resolve(0)).isEqualTo(Math.max(1, processors - 1));
        assertThat(EngineThreads.resolve(3)).isEqualTo(3);
    }
}
