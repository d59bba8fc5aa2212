package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile {@code models} records: {@link ModelAnnouncement#parse} returns a validated announcement
 * or throws {@link IllegalArgumentException} starting "malformed models record", whatever the
 * bytes. Path-traversal URIs and unknown variants are syntactically valid announcements: they are
 * refused later, by the model store and the serve policy, so here they must parse unchanged.
 */
class ModelAnnouncementProperties {

    private static final String SHA = "ab".repeat(32);

    @Property(tries = 1000)
    void shouldParseOrRefuseWhenBytesAreArbitrary(@ForAll @Size(max = 512) byte[] bytes) {
        assertParsesOrRefuses(bytes);
    }

    @Property(tries = 1000)
    void shouldParseOrRefuseWhenInputIsJsonLike(@ForAll("jsonish") String text) {
        assertParsesOrRefuses(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void shouldRefuseWhenSha256IsNotSixtyFourHexDigits(@ForAll("badSha") String sha) {
        byte[] value = json("vanilla", "v1", "file:/models/store/vanilla/v1", sha);
        assertThatThrownBy(() -> ModelAnnouncement.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed models record");
    }

    @Property(tries = 200)
    void shouldKeepUriVerbatimWhenItTraversesOrLeavesTheStore(@ForAll("hostileUri") String uri,
                                                              @ForAll("variant") String variant) {
        ModelAnnouncement a = ModelAnnouncement.parse(json(variant, "v1", uri, SHA));
        assertThat(a.uri()).isEqualTo(uri);
        assertThat(a.variant()).isEqualTo(variant);
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "null", "true", "1e999", "-0",
                "\"variant\"", "\"version\"", "\"uri\"", "\"weights_sha256\"", "\"metrics\"", "\"lineage\"",
                "\"heldout_miou\"", "\"" + SHA + "\"", "\"v1\"", "\"../..\"", "\"NaN\"", "\\u0000", "\uD800", " ",
                "{\"partition\":\"x\"}", "[[[[[[[[[[", "9223372036854775808");
        return token.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> badSha() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80).filter(s -> !s.matches("[0-9a-fA-F]{64}")),
                Arbitraries.strings().withChars("0123456789abcdefg").ofLength(64).filter(s -> s.contains("g")),
                Arbitraries.strings().numeric().ofLength(63));
    }

    @Provide
    Arbitrary<String> hostileUri() {
        return Arbitraries.of("../../etc/passwd", "file:///etc/passwd", "file:/models/store/../../etc",
                "file:/models/store/vanilla/%2e%2e/%2e%2e/etc", "http://evil.example/model", "file://host/share/m",
                "file:relative/path", " file:/x", "jar:file:/x!/y", "\\\\server\\share", "file:/models/store/vanilla/v1\u0000");
    }

    @Provide
    Arbitrary<String> variant() {
        return Arbitraries.oneOf(Arbitraries.of("vanilla", "residual", "attention", "transformer", "../vanilla"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20));
    }

    private static byte[] json(String variant, String version, String uri, String sha) {
        String body = "{\"variant\":" + quote(variant) + ",\"version\":" + quote(version) + ",\"uri\":" + quote(uri)
                + ",\"weights_sha256\":" + quote(sha) + "}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertParsesOrRefuses(byte[] value) {
        try {
            ModelAnnouncement a = ModelAnnouncement.parse(value);
            assertThat(a.variant()).isNotBlank();
            assertThat(a.version()).matches("[A-Za-z0-9._-]{1,200}");
            assertThat(a.uri()).isNotBlank();
            assertThat(a.weightsSha256()).matches("[0-9a-fA-F]{64}");
            assertThat(List.of(a.metrics(), a.lineage())).doesNotContainNull();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("malformed models record");
        }
    }
}
