package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one way to the engine: NNPACK quiet where it cannot initialise, the seed applied. */
class PyTorchTest {

    @Test
    void shouldWarnAboutNnpackAtMostOnceWhenItCannotInitialiseOnThisCpu() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), NnpackQuietMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        long warnings = out.lines().filter(l -> l.contains("Could not initialize NNPACK")).count();
        // where NNPACK initialises there is no warning and it stays on; where it cannot, libtorch
        // says so once (for the check) and it is off, instead of one warning per convolution
        assertThat(warnings).as(out).isLessThanOrEqualTo(1);
        assertThat(out).as(out).contains("nnpack enabled " + (warnings == 0));
    }

    @Test
    void shouldInitialiseTheSameWeightsWhenSeededTheSame() {
        assertThat(firstWeights(17)).containsExactly(firstWeights(17));
        assertThat(firstWeights(18)).isNotEqualTo(firstWeights(17));
    }

    private static float[] firstWeights(long seed) {
        PyTorch.seed(seed);
        try (Model model = ModelArtifacts.newModel(new UNetSpec(UNetVariant.VANILLA, 2, 4, 11), Device.cpu())) {
            return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
        }
    }
}
