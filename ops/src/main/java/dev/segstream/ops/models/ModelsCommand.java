package dev.segstream.ops.models;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ModelAnnouncement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops models}: what the {@code models} topic announces, and the operator's hand on what
 * serves. {@code list} prints every version still on the topic (newest per variant marked);
 * {@code promote VERSION} announces that version again, so segmenters following {@code latest}
 * swap to it; {@code rollback VARIANT} promotes the parent of the variant's newest version;
 * {@code pin VERSION} makes every following segmenter serve that version whatever its policy, until
 * {@code unpin} (a {@code _pin} record on the topic; a single segmenter can also be pinned by its
 * {@code model.serve=pinned} setting).
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model versions announced on the models topic, or promote / roll back one.")
public final class ModelsCommand implements Callable<Integer> {

    private static final ConfigDef CONFIG = CommonConfig.define(-1);

    @Mixin
    SettingsOptions settings = new SettingsOptions();

    @Parameters(index = "0", description = "list, promote, rollback, pin or unpin")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "VERSION for promote and pin, VARIANT for rollback")
    String target;

    @Option(names = "--json", description = "With list: one JSON announcement per line instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        AbstractConfig config = new AbstractConfig(CONFIG, settings.resolve(System.getenv(), Map.of()));
        Topics topics = Topics.from(config);
        Map<String, Object> props = CommonConfig.kafkaClientProps(config, CONFIG);
        List<ModelAnnouncement> all = read(props, topics);
        switch (action) {
            case "list" -> list(all);
            case "promote" -> announce(props, topics, find(all, requireTarget("promote VERSION")));
            case "rollback" -> announce(props, topics, parentOf(all, requireTarget("rollback VARIANT")));
            case "pin" -> pin(props, topics, find(all, requireTarget("pin VERSION")).version());
            case "unpin" -> pin(props, topics, null);
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "': list, promote, rollback, pin or unpin");
        }
        return 0;
    }

    private String requireTarget(String usage) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("usage: ops models " + usage);
        }
        return target;
    }

    /** Every well-formed announcement on the topic, oldest first. */
    static List<ModelAnnouncement> read(Map<String, Object> props, Topics topics) {
        Map<String, Object> c = new HashMap<>(props);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ModelAnnouncement> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.models().name(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ModelAnnouncement.PIN_KEY.equals(r.key())) {
                        continue;
                    }
                    try {
                        out.add(ModelAnnouncement.parse(r.value()));
                    } catch (IllegalArgumentException e) {
                        System.err.println("offset " + r.offset() + ": " + e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    private void list(List<ModelAnnouncement> all) {
        Map<String, String> newest = new LinkedHashMap<>();
        all.forEach(a -> newest.put(a.variant(), a.version()));
        if (json) {
            all.forEach(a -> System.out.println(new String(a.toBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        System.out.printf(Locale.ROOT, "%-10s %-48s %12s %-48s %s%n", "variant", "version", "heldout_miou",
                "parent", "announced_at");
        for (ModelAnnouncement a : all) {
            boolean latest = a.version().equals(newest.get(a.variant()));
            System.out.printf(Locale.ROOT, "%-10s %-48s %12.4f %-48s %s%s%n", a.variant(), a.version(),
                    a.metric(ModelAnnouncement.HELDOUT_MIOU), a.parent() == null ? "-" : a.parent(), a.announcedAt(),
                    latest ? "  <- newest" : "");
        }
    }

    private static ModelAnnouncement find(List<ModelAnnouncement> all, String version) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).version().equals(version)) {
                return all.get(i);
            }
        }
        throw new IllegalArgumentException("version " + version + " is not on the models topic (compacted away, or "
                + "never announced)");
    }

    private static ModelAnnouncement parentOf(List<ModelAnnouncement> all, String variant) {
        ModelAnnouncement newest = null;
        for (ModelAnnouncement a : all) {
            if (a.variant().equals(variant)) {
                newest = a;
            }
        }
        if (newest == null) {
            throw new IllegalArgumentException("no version of " + variant + " on the models topic");
        }
        if (newest.parent() == null) {
            throw new IllegalArgumentException(newest.version() + " has no parent to roll back to");
        }
        return find(all, newest.parent());
    }

    private static void pin(Map<String, Object> props, Topics topics, String version) throws Exception {
        Map<String, Object> p = new HashMap<>(props);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models().name(), ModelAnnouncement.PIN_KEY,
                    ModelAnnouncement.pinValue(version))).get();
        }
        System.out.println(version == null ? "pin lifted: segmenters serve by their policy again"
                : "pinned " + version + ": every following segmenter serves it until 'ops models unpin'");
    }

    private static void announce(Map<String, Object> props, Topics topics, ModelAnnouncement a) throws Exception {
        Map<String, Object> p = new HashMap<>(props);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        ModelAnnouncement again = new ModelAnnouncement(a.variant(), a.version(), a.uri(), a.weightsSha256(), a.parent(),
                a.metrics(), a.lineage(), Instant.now().toString());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models().name(), again.variant(), again.toBytes())).get();
        }
        System.out.println("announced " + again.variant() + " " + again.version() + " again: segmenters following "
                + "'latest' of " + again.variant() + " will serve it");
    }
}
