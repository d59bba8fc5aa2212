package dev.segstream.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One record of the {@code models} topic: a model version fully written to the model store,
 * announced for the segmenter (and anyone else) to serve. Key: the variant.
 *
 * @param variant       U-Net variant (also the record key)
 * @param version       version id, unique within the variant ({@code [A-Za-z0-9._-]+})
 * @param uri           where the artifact lives in the model store (e.g. {@code file:/models/store/...})
 * @param weightsSha256 sha256 of the parameter file; a reader refuses an artifact that differs
 * @param parent        the version it was trained from, or {@code null}
 * @param metrics       what it achieved (e.g. {@code heldout_miou}), may be empty
 * @param lineage       the data it was trained on: topic-partition offset ranges, may be empty
 * @param announcedAt   ISO-8601 time of the announcement
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelAnnouncement(
        @JsonProperty("variant") String variant,
        @JsonProperty("version") String version,
        @JsonProperty("uri") String uri,
        @JsonProperty("weights_sha256") String weightsSha256,
        @JsonProperty("parent") String parent,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("lineage") List<OffsetRange> lineage,
        @JsonProperty("announced_at") String announcedAt) {

    /**
     * Record key of an operator's pin on the models topic: value {@code {"pinned":"VERSION"}} makes
     * every following segmenter serve that version whatever its policy; a {@code null} value (or
     * {@code "pinned":null}) lifts the pin. Readers of announcements skip this key.
     */
    public static final String PIN_KEY = "_pin";

    /** Held-out mIoU, the metric the champion/challenger gate and the {@code best} policy compare. */
    public static final String HELDOUT_MIOU = "heldout_miou";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * Offsets {@code [from, to)} of one partition that a version was trained on.
     *
     * @param topic     topic
     * @param partition partition
     * @param from      first offset included
     * @param to        first offset not included
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OffsetRange(@JsonProperty("topic") String topic, @JsonProperty("partition") int partition,
                              @JsonProperty("from") long from, @JsonProperty("to") long to) {
    }

    public ModelAnnouncement {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
    }

    /**
     * Parses and validates a record value.
     *
     * @throws IllegalArgumentException when it is not valid JSON or misses or mangles a required field
     */
    public static ModelAnnouncement parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("malformed models record: empty value");
        }
        ModelAnnouncement a;
        try {
            a = JSON.readValue(value, ModelAnnouncement.class);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("malformed models record: " + msg, e);
        }
        if (a == null) {
            throw new IllegalArgumentException("malformed models record: null");
        }
        require(a.variant() != null && !a.variant().isBlank(), "no variant");
        require(a.version() != null && VERSION.matcher(a.version()).matches(), "bad version '" + a.version() + "'");
        require(a.uri() != null && !a.uri().isBlank(), "no uri");
        require(a.weightsSha256() != null && SHA256.matcher(a.weightsSha256()).matches(), "bad weights_sha256");
        return a;
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException("malformed models record: " + why);
        }
    }

    /** The version a pin record names, or {@code null} when it lifts the pin. */
    public static String pinned(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            var node = JSON.readTree(value).get("pinned");
            return node == null || node.isNull() ? null : node.asText();
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed pin record: " + e.getMessage(), e);
        }
    }

    /** A pin record's value for {@code version} ({@code null} lifts the pin). */
    public static byte[] pinValue(String version) {
        return (version == null ? "{\"pinned\":null}" : "{\"pinned\":\"" + version + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The record value: UTF-8 JSON. */
    public byte[] toBytes() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code metrics[name]}, or NaN when absent. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
