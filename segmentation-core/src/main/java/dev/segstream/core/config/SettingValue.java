package dev.segstream.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum constant that is one value of a setting, named by {@link #id()} (lower case, dashes).
 * The static helpers parse and list such values the same way for every setting.
 */
public interface SettingValue {

    /** The value as settings, flags and documentation spell it. */
    String id();

    /**
     * The constant of {@code type} whose id is {@code value}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming {@code setting} and the valid values otherwise
     */
    static <E extends Enum<E> & SettingValue> E parse(Class<E> type, String setting, String value) {
        String wanted = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException(setting + " must be one of " + validNames(type) + ", got '" + value + "'");
    }

    /** The ids of {@code type}'s constants, comma-separated, in declaration order. */
    static <E extends Enum<E> & SettingValue> String validNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SettingValue::id).collect(Collectors.joining(", "));
    }
}
