package dev.segstream.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings reference, generated from the declarations: one Markdown table per definition
 * (key, type, default, valid values, documentation), keys in alphabetical order so the text is
 * stable. READMEs embed it between {@code <!-- settings:NAME:start -->} and
 * {@code <!-- settings:NAME:end -->} markers.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** The Markdown table of every key of {@code def}. */
    public static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder("| key | type | default | valid values | description |\n")
                .append("|---|---|---|---|---|\n");
        List<ConfigDef.ConfigKey> keys = def.configKeys().values().stream()
                .sorted(Comparator.comparing(k -> k.name)).toList();
        for (ConfigDef.ConfigKey k : keys) {
            out.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(defaultText(k)).append(" | ")
                    .append(k.validator == null ? "" : cell(validValues(k))).append(" | ")
                    .append(cell(k.documentation == null ? "" : k.documentation.trim())).append(" |\n");
        }
        return out.toString();
    }

    private static String validValues(ConfigDef.ConfigKey k) {
        String v = k.validator.toString();
        if (v.contains("$$Lambda") || v.contains("$Lambda$")) {
            throw new IllegalStateException("the validator of " + k.name + " has no description (a lambda prints as "
                    + "a class name); wrap it with NamedValues.described(...)");
        }
        return v;
    }

    private static String defaultText(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) {
            return "(required)";
        }
        String v = k.defaultValue == null ? null : ConfigDef.convertToString(k.defaultValue, k.type);
        return v == null ? "(none)" : v.isEmpty() ? "(empty)" : "`" + v + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** The start marker of section {@code name}. */
    public static String startMarker(String name) {
        return "<!-- settings:" + name + ":start -->";
    }

    /** The end marker of section {@code name}. */
    public static String endMarker(String name) {
        return "<!-- settings:" + name + ":end -->";
    }

    /**
     * {@code text} with the part between the markers of {@code name} replaced by {@code table}.
     *
     * @throws IllegalArgumentException when the markers are missing
     */
    public static String embed(String text, String name, String table) {
        int start = text.indexOf(startMarker(name));
        int end = text.indexOf(endMarker(name));
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no " + startMarker(name) + " ... " + endMarker(name) + " markers");
        }
        int from = start + startMarker(name).length();
        return text.substring(0, from) + "\n" + table + text.substring(end);
    }

    /** The part between the markers of {@code name}, as {@link #embed} writes it. */
    public static String embedded(String text, String name) {
        int start = text.indexOf(startMarker(name));
        int end = text.indexOf(endMarker(name));
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no " + startMarker(name) + " ... " + endMarker(name) + " markers");
        }
        return text.substring(start + startMarker(name).length() + 1, end);
    }
}
