package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Hostile labelled frames: the SGLF parser yields a frame or a {@link SerializationException},
 * nothing else, whatever the bytes; {@link TruthMaskDecoder} refuses masks of the wrong size (from
 * the header alone), with class values beyond the last class, or that are not PNG, with an
 * {@link IllegalArgumentException} saying why.
 */
class LabelledFrameProperties {

    private static final int VOID = 11;
    private static final Deserializer<LabelledFrame> PARSER = new LabelledFrameSerde().deserializer();
    private static final byte[] SGLF = new LabelledFrameSerde().serializer().serialize("t",
            new LabelledFrame(HostileCorpus.png(HostileCorpus.noise(8, 6, BufferedImage.TYPE_3BYTE_BGR, 1), false),
                    ImageCodec.encodeMaskPng(new ClassMask(8, 6, new byte[48]))));

    @Property(tries = 1000)
    void shouldParseOrRefuseWhenBytesAreArbitrary(@ForAll @Size(max = 512) byte[] bytes, @ForAll boolean withMagic) {
        byte[] value = bytes;
        if (withMagic && bytes.length >= 5) {
            // Past the magic and version, the lengths and bodies are what is being attacked.
            System.arraycopy(LabelledFrameSerde.MAGIC, 0, value, 0, 4);
            value[4] = LabelledFrameSerde.VERSION;
        }
        assertParsesOrRefuses(value);
    }

    @Property(tries = 200)
    void shouldRefuseWhenContainerIsTruncated(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] truncated = Arrays.copyOf(SGLF, cut % SGLF.length);
        assertThatThrownBy(() -> PARSER.deserialize("t", truncated)).isInstanceOf(SerializationException.class);
    }

    @Property(tries = 500)
    void shouldParseOrRefuseWhenLengthFieldIsCorrupt(@ForAll int length, @ForAll boolean maskLength) {
        byte[] value = SGLF.clone();
        int imageLength = java.nio.ByteBuffer.wrap(SGLF, 5, 4).getInt();
        java.nio.ByteBuffer.wrap(value, maskLength ? 9 + imageLength : 5, 4).putInt(length);
        assertParsesOrRefuses(value);
    }

    @Property(tries = 100)
    void shouldRefuseMaskBeforeDecodingWhenSizeDiffersFromImage(@ForAll @IntRange(min = 1, max = 100_000) int w,
                                                               @ForAll @IntRange(min = 1, max = 100_000) int h) {
        byte[] mask = HostileCorpus.declaredPng(w, h, 1);
        long allocated = HostileFrameTest.allocatedDuring(() -> {
            if (w == 8 && h == 6) {
                return;
            }
            assertThatThrownBy(() -> TruthMaskDecoder.decode(mask, 8, 6, VOID))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but image is 8x6");
        });
        assertThat(allocated).isLessThan(4L << 20);
    }

    @Property(tries = 200)
    void shouldRefuseMaskWhenAClassIsOutOfRange(@ForAll @IntRange(min = VOID + 1, max = 255) int bad,
                                               @ForAll @IntRange(max = 47) int at) {
        byte[] classes = new byte[48];
        classes[at] = (byte) bad;
        byte[] mask = ImageCodec.encodeMaskPng(new ClassMask(8, 6, classes));
        assertThatThrownBy(() -> TruthMaskDecoder.decode(mask, 8, 6, VOID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask class " + bad);
    }

    @Property(tries = 200)
    void shouldDecodeMaskExactlyWhenClassesAreInRange(@ForAll @Size(48) byte[] raw) {
        byte[] classes = raw.clone();
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (byte) Math.floorMod(classes[i], VOID + 1);
        }
        ClassMask back = TruthMaskDecoder.decode(ImageCodec.encodeMaskPng(new ClassMask(8, 6, classes)), 8, 6, VOID);
        assertThat(back.classes()).isEqualTo(classes);
    }

    @Property(tries = 500)
    void shouldDecodeOrRefuseMaskWhenBytesAreArbitrary(@ForAll @Size(max = 1024) byte[] tail) {
        byte[] mask = ImageCodec.encodeMaskPng(new ClassMask(8, 6, new byte[48]));
        byte[] bytes = Arrays.copyOf(mask, 16 + tail.length);
        System.arraycopy(tail, 0, bytes, 16, tail.length);
        try {
            ClassMask m = TruthMaskDecoder.decode(bytes, 8, 6, VOID);
            for (byte c : m.classes()) {
                assertThat(c & 0xff).isLessThanOrEqualTo(VOID);
            }
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseSixteenBitMaskWhenSampleWouldWrapIntoAClass() {
        // 256 as a byte is class 0: the mask must be refused, not read as sky.
        BufferedImage grey16 = new BufferedImage(8, 6, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(3, 2, 0, 256);
        assertThatThrownBy(() -> TruthMaskDecoder.decode(HostileCorpus.png(grey16, false), 8, 6, VOID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask class 256");
        assertThatThrownBy(() -> TruthMaskDecoder.decode(HostileCorpus.jpeg(HostileCorpus.noise(8, 6,
                BufferedImage.TYPE_BYTE_GRAY, 1), false), 8, 6, VOID)).hasMessageContaining("not a PNG");
    }

    private static void assertParsesOrRefuses(byte[] value) {
        try {
            LabelledFrame f = PARSER.deserialize("t", value);
            assertThat(f.image().length + f.mask().length).isLessThanOrEqualTo(value.length);
        } catch (SerializationException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
