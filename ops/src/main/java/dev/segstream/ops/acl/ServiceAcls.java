package dev.segstream.ops.acl;

import dev.segstream.core.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least ACLs each segstream service needs on a cluster with an authorizer and
 * {@code allow.everyone.if.no.acl.found=false}: what a service reads, writes and coordinates
 * with, and nothing else (the segmenter cannot write {@code models}, the producer cannot read
 * {@code masks}). READ and WRITE imply DESCRIBE in Kafka, so DESCRIBE is not granted on its own;
 * WRITE on a topic also allows idempotent producing (KIP-679), so no cluster ACL is needed.
 *
 * <ul>
 *   <li>producer: WRITE {@code frames}, {@code frames.labelled}</li>
 *   <li>segmenter (Kafka Streams, exactly-once v2): READ {@code frames}; WRITE {@code masks},
 *       {@code frames.dlq}; CREATE, READ, WRITE and DESCRIBE_CONFIGS on topics prefixed by its
 *       application id (its changelog, which Kafka Streams creates and checks); READ group = application id; WRITE transactional ids
 *       prefixed by the application id; the model follower READ {@code models} (no group); live
 *       quality READ {@code frames.labelled} in its own group and WRITE {@code quality}</li>
 *   <li>trainer service: READ {@code frames.labelled} in its group, READ and WRITE {@code models}</li>
 * </ul>
 *
 * <p>Principals are written the Kafka way, {@code User:name}.
 */
public final class ServiceAcls {

    private ServiceAcls() {
    }

    /** What {@code FrameProducer} needs: write frames and their labelled copies. */
    public static List<AclBinding> producer(String principal, Topics topics) {
        return new Grants(principal)
                .topic(topics.frames().name(), AclOperation.WRITE)
                .topic(topics.labelled().name(), AclOperation.WRITE)
                .list();
    }

    /**
     * What the segmenter needs: its Kafka Streams application (group, internal topics and
     * transactional ids all named after {@code applicationId}), its model follower and its
     * live-quality reader in group {@code qualityGroupId}.
     */
    public static List<AclBinding> segmenter(String principal, Topics topics, String applicationId,
                                             String qualityGroupId) {
        return new Grants(principal)
                .topic(topics.frames().name(), AclOperation.READ)
                .topic(topics.masks().name(), AclOperation.WRITE)
                .topic(topics.dlq().name(), AclOperation.WRITE)
                .prefixed(ResourceType.TOPIC, applicationId, AclOperation.CREATE)
                .prefixed(ResourceType.TOPIC, applicationId, AclOperation.READ)
                .prefixed(ResourceType.TOPIC, applicationId, AclOperation.WRITE)
                .prefixed(ResourceType.TOPIC, applicationId, AclOperation.DESCRIBE_CONFIGS)
                .group(applicationId, AclOperation.READ)
                .prefixed(ResourceType.TRANSACTIONAL_ID, applicationId, AclOperation.WRITE)
                .topic(topics.models().name(), AclOperation.READ)
                .topic(topics.labelled().name(), AclOperation.READ)
                .group(qualityGroupId, AclOperation.READ)
                .topic(topics.quality().name(), AclOperation.WRITE)
                .list();
    }

    /** What the trainer service needs: read labelled frames in {@code groupId}, read and announce models. */
    public static List<AclBinding> trainer(String principal, Topics topics, String groupId) {
        return new Grants(principal)
                .topic(topics.labelled().name(), AclOperation.READ)
                .group(groupId, AclOperation.READ)
                .topic(topics.models().name(), AclOperation.READ)
                .topic(topics.models().name(), AclOperation.WRITE)
                .list();
    }

    /** One line: {@code User:segmenter ALLOW WRITE TOPIC masks}, with {@code (prefixed)} for prefixes. */
    public static String describe(AclBinding binding) {
        ResourcePattern r = binding.pattern();
        AccessControlEntry e = binding.entry();
        return e.principal() + " " + e.permissionType() + " " + e.operation() + " " + r.resourceType() + " "
                + r.name() + (r.patternType() == PatternType.PREFIXED ? " (prefixed)" : "");
    }

    /** Collects ALLOW entries for one principal from any host. */
    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = Objects.requireNonNull(principal, "principal");
            if (!principal.contains(":")) {
                throw new IllegalArgumentException("principal must look like User:name but was " + principal);
            }
        }

        Grants topic(String name, AclOperation op) {
            return add(ResourceType.TOPIC, name, PatternType.LITERAL, op);
        }

        Grants group(String name, AclOperation op) {
            return add(ResourceType.GROUP, name, PatternType.LITERAL, op);
        }

        Grants prefixed(ResourceType type, String prefix, AclOperation op) {
            return add(type, prefix, PatternType.PREFIXED, op);
        }

        private Grants add(ResourceType type, String name, PatternType pattern, AclOperation op) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            return this;
        }

        List<AclBinding> list() {
            return List.copyOf(bindings);
        }
    }
}
