package dev.segstream.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Usage-help texts taken from setting declarations, as a picocli resource bundle: an option whose
 * {@code descriptionKey} is {@link #PREFIX} plus a declared key shows that key's documentation and
 * default, so the help never repeats (or contradicts) a default by hand.
 */
public final class ConfigHelp extends ListResourceBundle {

    /**
     * Prefix of every key in the bundle: an option opts in with {@code descriptionKey = PREFIX + KEY};
     * picocli's implicit keys (an option's own name) never match, so hand-written descriptions stay.
     */
    public static final String PREFIX = "setting.";

    private final Object[][] contents;

    private ConfigHelp(Object[][] contents) {
        this.contents = contents;
    }

    /** The help texts of every key of {@code defs} (a later definition's text wins for a shared key), {@code %} escaped for picocli. */
    public static ConfigHelp of(ConfigDef... defs) {
        List<Object[]> rows = new ArrayList<>();
        for (ConfigDef def : defs) {
            def.configKeys().values().forEach(k -> rows.add(new Object[] {PREFIX + k.name, describe(k).replace("%", "%%")}));
        }
        return new ConfigHelp(rows.toArray(new Object[0][]));
    }

    /** The documentation of {@code key} followed by its default, or that it is required. */
    public static String describe(ConfigDef.ConfigKey key) {
        String doc = key.documentation == null ? "" : key.documentation.trim();
        if (!key.hasDefault()) {
            return doc;
        }
        String value = key.defaultValue == null ? "none" : ConfigDef.convertToString(key.defaultValue, key.type);
        return doc + (doc.endsWith(".") || doc.isEmpty() ? "" : ".") + " Default: "
                + (value == null || value.isEmpty() ? "(empty)" : value) + ".";
    }

    @Override
    protected Object[][] getContents() {
        return contents;
    }
}
