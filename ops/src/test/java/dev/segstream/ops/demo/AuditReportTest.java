package dev.segstream.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's last line, as README.md shows it. */
class AuditReportTest {

    @Test
    void shouldPrintDocumentedJsonLineWhenEveryFrameHasOneMask() {
        AuditReport report = new AuditReport(1202, 1202, 0, 0, 0, 0, 20.0149, 107, 440);
        assertThat(report.toJson()).isEqualTo("{\"frames_sent\":1202,\"masks_received\":1202,\"dead_letters\":0,"
                + "\"missing\":0,\"duplicates\":0,\"orphans\":0,\"exactly_once\":true,\"throughput_fps\":20.01,"
                + "\"p50_ms\":107,\"p99_ms\":440}");
    }

    @Test
    void shouldAppendLoopFieldsInOrderWhenTheDemoLearned() {
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("versions_served", 9);
        loop.put("swaps", 9L);
        loop.put("refused_versions", 0L);
        loop.put("heldout_miou_start", new java.math.BigDecimal("0.0080"));
        loop.put("heldout_miou_end", null);
        assertThat(new AuditReport(1202, 1202, 0, 0, 0, 0, 19.99, 121, 249).toJson(loop))
                .endsWith("\"p99_ms\":249,\"versions_served\":9,\"swaps\":9,\"refused_versions\":0,"
                        + "\"heldout_miou_start\":0.0080,\"heldout_miou_end\":null}");
    }

    @Test
    void shouldKeepTwoDecimalsAndRoundHalfUpWhenThroughputIsRound() {
        assertThat(new AuditReport(3, 1, 1, 1, 0, 0, 20.0, -1, -1).toJson())
                .contains("\"exactly_once\":false,\"throughput_fps\":20.00,\"p50_ms\":-1,\"p99_ms\":-1}");
        assertThat(new AuditReport(1, 1, 0, 0, 0, 0, 0.125, 1, 1).toJson()).contains("\"throughput_fps\":0.13,");
    }
}
