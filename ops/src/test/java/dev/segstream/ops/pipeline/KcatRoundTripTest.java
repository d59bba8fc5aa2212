package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.data.CamVidLayout;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame published with plain {@code kcat -P -t frames -k cam1 image.png} (no headers) comes
 * back on {@code masks} as a PNG of the same size with the documented headers. Skips when kcat
 * is not installed ({@code .ci/run} installs it).
 */
class KcatRoundTripTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Test
    void shouldReturnSameSizedMaskWhenFramePublishedWithKcat(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("kcat"), "kcat not installed: apt-get install kcat");
        Path png = camvidImageOrSynthetic(tmp);
        var size = ImageIO.read(png.toFile());
        Topics topics = Topics.defaults();
        KAFKA.createTopics(topics);
        SegmenterConfig config = new SegmenterConfig(Map.of(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                CommonConfig.METRICS_PORT, "-1", SegmenterConfig.MODEL_FILTERS, "8"));
        try (SegmenterService segmenter = new SegmenterService(config, new SimpleMeterRegistry())) {
            segmenter.start();
            Process kcat = new ProcessBuilder("kcat", "-b", KAFKA.bootstrapServers(), "-P", "-t", "frames", "-k", "cam1",
                    png.toString()).redirectErrorStream(true).start();
            assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kcat.exitValue()).as(new String(kcat.getInputStream().readAllBytes())).isZero();

            List<ConsumerRecord<String, byte[]>> masks = new PipelineClient(KAFKA.clientProperties(), topics)
                    .collect("masks", out -> !out.isEmpty(), Duration.ofSeconds(60));
            assertThat(masks).hasSize(1);
            ConsumerRecord<String, byte[]> mask = masks.get(0);
            ClassMask decoded = ImageCodec.decodeMaskPng(mask.value());
            assertThat(mask.key()).isEqualTo("cam1");
            assertThat(decoded.width()).isEqualTo(size.getWidth());
            assertThat(decoded.height()).isEqualTo(size.getHeight());
            for (byte b : decoded.classes()) {
                assertThat(b & 0xff).isBetween(0, 10);
            }
            assertThat(FrameHeaders.text(mask.headers(), FrameHeaders.FRAME_ID).orElseThrow()).matches("frames-\\d+-0");
            assertThat(FrameHeaders.text(mask.headers(), FrameHeaders.MODEL_VARIANT)).contains("vanilla");
            assertThat(FrameHeaders.text(mask.headers(), FrameHeaders.MODEL_VERSION)).contains("untrained-seed42");
            assertThat(mask.headers().lastHeader(FrameHeaders.FRAME_TS)).isNull();
        }
    }

    private static Path camvidImageOrSynthetic(Path tmp) throws Exception {
        Path camvid = CamVidLayout.sharedDataDir().resolve("camvid-128x96/val/0016E5_07959.png");
        if (Files.isRegularFile(camvid)) {
            return camvid;
        }
        byte[] rgb = new byte[120 * 90 * 3];
        new java.util.Random(1).nextBytes(rgb);
        Path p = tmp.resolve("frame.png");
        Files.write(p, ImageCodec.encodePng(new RgbImage(120, 90, rgb)));
        return p;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
