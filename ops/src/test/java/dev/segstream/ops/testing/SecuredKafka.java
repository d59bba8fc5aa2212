package dev.segstream.ops.testing;

import static org.awaitility.Awaitility.await;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * An {@link EmbeddedKafkaBroker} as a secured production cluster runs: clients connect over
 * SASL_SSL with SCRAM-SHA-512 (certificate from {@link TestCertificates}), the KRaft
 * {@code StandardAuthorizer} denies whatever no ACL allows, and only {@value #ADMIN} and the
 * broker itself are super users. The controller listener is TLS with client certificates (mTLS),
 * so the broker's own certificate is its identity there and no unauthenticated principal needs
 * to be a super user. The administrator's SCRAM credential is written when the storage is
 * formatted (SCRAM users live in the KRaft metadata log); the others are added with
 * {@link #addUser}.
 */
public final class SecuredKafka implements AutoCloseable {

    /** The super user who creates topics, users and ACLs. */
    public static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String MECHANISM = "SCRAM-SHA-512";

    private final TestCertificates certificates;
    private final EmbeddedKafkaBroker broker;

    private SecuredKafka(TestCertificates certificates) {
        this.certificates = certificates;
        this.broker = new EmbeddedKafkaBroker(serverOverrides(certificates), clientSecurity(ADMIN, ADMIN_PASSWORD),
                List.of(MECHANISM + "=[name=" + ADMIN + ",password=" + ADMIN_PASSWORD + "]"));
    }

    /** Generates certificates in {@code dir} and starts the broker on a free port. */
    public static SecuredKafka start(Path dir) {
        SecuredKafka kafka = new SecuredKafka(TestCertificates.generate(dir));
        kafka.broker.start();
        return kafka;
    }

    private static Map<String, String> serverOverrides(TestCertificates tls) {
        String client = EmbeddedKafkaBroker.CLIENT_LISTENER.toLowerCase();
        String controller = EmbeddedKafkaBroker.CONTROLLER_LISTENER.toLowerCase();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listener.security.protocol.map", EmbeddedKafkaBroker.CLIENT_LISTENER + ":SASL_SSL,"
                + EmbeddedKafkaBroker.CONTROLLER_LISTENER + ":SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        // The broker writes transaction markers to itself over the client listener, as admin.
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name." + client + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config", jaas(ADMIN, ADMIN_PASSWORD));
        p.put("listener.name." + controller + ".ssl.client.auth", "required");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", tls.keyStore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.trustStore().toString());
        p.put("ssl.truststore.password", tls.password());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN + ";User:" + TestCertificates.SUBJECT);
        return p;
    }

    /** The client settings of user {@code user}: SASL_SSL, SCRAM-SHA-512, the test CA as trust store. */
    public Map<String, Object> clientSettings(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>(clientSecurity(user, password));
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    private Map<String, Object> clientSecurity(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.password());
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The administrator's client settings. */
    public Map<String, Object> adminSettings() {
        return broker.clientProperties();
    }

    /** {@code host:port} of the SASL_SSL listener. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates the topics as administrator. */
    public void createTopics(Topics topics) {
        broker.createTopics(topics);
    }

    /** Adds SCRAM-SHA-512 user {@code user} and waits until it can log in. */
    public void addUser(String user, String password) throws Exception {
        try (Admin admin = Admin.create(adminSettings())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> login = new LinkedHashMap<>(clientSettings(user, password));
        login.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        login.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        // the credential reaches the broker's metadata cache a moment after the controller accepts it
        await("user " + user + " can log in").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Admin probe = Admin.create(login)) {
                return !probe.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            }
        });
    }

    /** Grants {@code acls} as administrator. */
    public void grant(List<AclBinding> acls) throws Exception {
        try (Admin admin = Admin.create(adminSettings())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
