package dev.segstream.model.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixes as an affected host would get them, in fresh JVMs (the instruction set can only be
 * chosen before libtorch loads): when the inherited ISA is reported wrong, the process really runs
 * oneDNN capped at AVX2 (oneDNN's own verbose output names the ISA); when AVX2 is reported wrong
 * too, oneDNN is really off for PyTorch's convolutions.
 */
class IsaSwitchTest {

    @ParameterizedTest
    @CsvSource({"default-wrong, avx2, true", "both, no-onednn, false"})
    void shouldRunTheChosenKernelsWhenTheSelfTestFindsTheDefaultWrong(String mode, String setting, boolean oneDnn)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                ForcedDecisionMain.class.getName(), mode));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DNNL_MAX_CPU_ISA");
        pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        pb.environment().put("ONEDNN_VERBOSE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        assertThat(out).contains("choice " + setting, "onednn enabled " + oneDnn);
        List<String> convolutions = out.lines().filter(l -> l.startsWith("onednn_verbose") && l.contains("convolution"))
                .toList();
        if (oneDnn) {
            assertThat(out).contains("isa:Intel AVX2");
            assertThat(convolutions).isNotEmpty().noneMatch(l -> l.contains("avx512"));
        } else {
            // the verification convolutions ran without oneDNN: none of them reached it
            assertThat(out).contains("numerics: ").contains("using oneDNN off");
            assertThat(convolutions).isEmpty();
        }
    }
}
