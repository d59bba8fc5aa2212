package dev.segstream.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Merges the places a setting can come from into one flat map of dotted keys.
 *
 * <p>Precedence, lowest first: the properties file, {@code SEGSTREAM_}-prefixed environment
 * variables, then command-line overrides ({@code --kafka key=value} and typed options). An
 * environment variable maps onto a key by dropping the prefix, lower-casing and turning
 * {@code _} into {@code .}: {@code SEGSTREAM_SECURITY_PROTOCOL=SSL} is {@code security.protocol}.
 * Keys that no segstream {@code ...Config} declares are passed through to the Kafka clients, so
 * any client setting (SASL, SSL, timeouts) works without segstream knowing about it.
 */
public final class ConfigSources {

    /** Prefix of environment variables that segstream reads. */
    public static final String ENV_PREFIX = "SEGSTREAM_";

    private ConfigSources() {
    }

    /**
     * Resolves the merged settings.
     *
     * @param propertiesFile optional properties file, may be {@code null}
     * @param env            the environment (usually {@link System#getenv()})
     * @param overrides      command-line settings, highest precedence
     * @return a new mutable map of key to string value
     */
    public static Map<String, Object> resolve(Path propertiesFile, Map<String, String> env,
                                              Map<String, String> overrides) {
        Map<String, Object> merged = new TreeMap<>();
        if (propertiesFile != null) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + propertiesFile, e);
            }
            props.stringPropertyNames().forEach(k -> merged.put(k, props.getProperty(k)));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                merged.put(envToKey(name), value);
            }
        });
        merged.putAll(overrides);
        return merged;
    }

    /** {@code SEGSTREAM_BOOTSTRAP_SERVERS} to {@code bootstrap.servers}. */
    public static String envToKey(String envName) {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * Parses {@code key=value} pairs as given to {@code --kafka}.
     *
     * @throws IllegalArgumentException naming the pair when one has no {@code =} or no key
     */
    public static Map<String, String> parsePairs(Iterable<String> pairs) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value but got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return out;
    }
}
