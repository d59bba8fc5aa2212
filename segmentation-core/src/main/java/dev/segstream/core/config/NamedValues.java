package dev.segstream.core.config;

import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A validator for a setting whose values are names parsed by an enum's {@code parse} method: it
 * rejects what the parser rejects, with the parser's message, and prints as the valid names in
 * generated documentation (a lambda validator would print as a class name).
 */
public final class NamedValues implements ConfigDef.Validator {

    private final String validNames;
    private final Consumer<String> parser;

    private NamedValues(String validNames, Consumer<String> parser) {
        this.validNames = validNames;
        this.parser = parser;
    }

    /**
     * @param validNames the valid values, comma-separated, as documentation shows them
     * @param parser     throws {@link IllegalArgumentException} for an invalid value
     */
    public static NamedValues of(String validNames, Consumer<String> parser) {
        return new NamedValues(validNames, parser);
    }

    /** {@code validator} documented as {@code description} (a method reference prints as a class name). */
    public static ConfigDef.Validator described(String description, ConfigDef.Validator validator) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                validator.ensureValid(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    @Override
    public void ensureValid(String name, Object value) {
        try {
            parser.accept(value == null ? null : String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return validNames;
    }
}
