package dev.segstream.ops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a {@code localhost} certificate it signed, made with the
 * JDK's own {@code keytool} (no extra library): {@link #keyStore()} holds the broker's key and
 * chain, {@link #trustStore()} the CA certificate alone, both PKCS12 with {@link #password()}. The
 * certificate names {@code localhost} and {@code 127.0.0.1} and may serve and authenticate (mTLS),
 * so the broker presents it to clients and to its own controller listener.
 */
public record TestCertificates(Path keyStore, Path trustStore, String password) {

    /** Distinguished name of the {@code localhost} certificate; its TLS principal is {@code User:} + this. */
    public static final String SUBJECT = "CN=localhost";

    /** Makes the CA, the certificate and the stores in {@code dir}. */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        String pw = "test-store-secret";
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path csr = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=segstream test CA", "-ext", "bc:c",
                "-keystore", ca.toString(), "-storepass", pw);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw,
                "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", trustStore.toString(), "-storepass", pw);
        keytool("-genkeypair", "-alias", "broker", "-dname", SUBJECT, "-keystore", keyStore.toString(),
                "-storepass", pw);
        keytool("-certreq", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", pw,
                "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw,
                "-infile", csr.toString(), "-outfile", signed.toString(),
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", keyStore.toString(), "-storepass", pw);
        keytool("-importcert", "-alias", "broker", "-file", signed.toString(),
                "-keystore", keyStore.toString(), "-storepass", pw);
        return new TestCertificates(keyStore, trustStore, pw);
    }

    private static void keytool(String... args) {
        String command = args[0];
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                // a short-lived tool: the quick compiler is enough and starts sooner
                command, "-J-XX:TieredStopAtLevel=1", "-storetype", "PKCS12"));
        if (command.equals("-genkeypair") || command.equals("-gencert")) {
            cmd.addAll(List.of("-validity", "2"));
        }
        if (command.equals("-genkeypair")) {
            // EC keys are generated in milliseconds where RSA takes a noticeable while
            cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        }
        cmd.addAll(List.of(args).subList(1, args.length));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
