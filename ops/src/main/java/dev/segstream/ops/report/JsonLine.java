package dev.segstream.ops.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** The one-line JSON summaries the ops commands print last: fields in the order given. */
public final class JsonLine {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private JsonLine() {
    }

    /** The fields as one JSON object on one line, in the map's iteration order. */
    public static String of(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code value} rounded half up to {@code places} decimals and written with exactly that many,
     * as {@code String.format("%.Nf")} writes it (20.0 to 2 places is 20.00). A value that is not
     * finite stays as it is.
     */
    public static Number rounded(double value, int places) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP) : value;
    }
}
