package dev.segstream.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.trainer.training.MemoryProbe;
import org.junit.jupiter.api.Test;

/** The JSON line {@code ops bench pipeline} prints last: keys, order and rounding as documented. */
class PipelineBenchJsonTest {

    @Test
    void shouldPrintDocumentedKeysInOrderWithRoundedFiguresWhenRunEnds() {
        PipelineBench.Result r = new PipelineBench.Result("vanilla", "cpu()", 101.66, 49.71, 234, 722,
                new MemoryProbe.Sample(627, 54), new MemoryProbe.Sample(701, 58));
        assertThat(PipelineBenchCommand.json(1500, 8, 128, 96, r)).isEqualTo("{\"frames\":1500,\"batch\":8,"
                + "\"variant\":\"vanilla\",\"device\":\"cpu()\",\"width\":128,\"height\":96,\"heap_mb_start\":54,"
                + "\"heap_mb_end\":58,\"rss_mb_start\":627,\"rss_mb_end\":701,\"model_fps\":101.7,"
                + "\"pipeline_fps\":49.7,\"ratio\":0.489,\"p50_ms\":234,\"p99_ms\":722}");
    }

    @Test
    void shouldKeepTrailingZerosWhenFiguresAreRound() {
        PipelineBench.Result r = new PipelineBench.Result("attention", "gpu(0)", 100.0, 50.0, 1, 2,
                new MemoryProbe.Sample(-1, 10), new MemoryProbe.Sample(-1, 11));
        assertThat(PipelineBenchCommand.json(10, 2, 64, 48, r))
                .contains("\"rss_mb_start\":-1,", "\"model_fps\":100.0,\"pipeline_fps\":50.0,\"ratio\":0.500,");
    }
}
