package dev.xigate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over TLS, against a loopback TLS server whose certificate keytool makes for {@code localhost}. */
class Http1ClientTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static KeyStore keyStore;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = dir.resolve("localhost.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "localhost",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
    }

    @Test
    void talksToATlsServerOverKeptAliveConnections() throws Exception {
        try (ScriptedServer server = tlsServer(); Http1Client client = Http1Client.builder(
                URI.create("https://localhost:" + server.port())).sslContext(trusting()).build()) {
            for (int i = 0; i < 3; i++) {
                try (Http1Response response = client.send("POST", "/v1/x", Map.of("xi-api-key", List.of("k")),
                        new byte[] {1, 2, 3}, TIMEOUT)) {
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(new String(response.body().readAllBytes())).isEqualTo("secure");
                }
            }
            assertThat(client.connectionsOpened()).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void refusesACertificateForAnotherHostName() throws Exception {
        // The certificate names only "localhost"; reached as 127.0.0.1, host name verification must fail.
        try (ScriptedServer server = tlsServer(); Http1Client client = Http1Client.builder(
                URI.create("https://127.0.0.1:" + server.port())).sslContext(trusting()).build()) {
            assertThatThrownBy(() -> client.send("GET", "/", Map.of(), new byte[0], TIMEOUT))
                    .isInstanceOf(SSLException.class);
            assertThat(client.connectionsOpened()).isZero();
        }
    }

    @Test
    void refusesAnUntrustedCertificate() throws Exception {
        try (ScriptedServer server = tlsServer(); Http1Client client = Http1Client.builder(
                URI.create("https://localhost:" + server.port())).build()) {
            assertThatThrownBy(() -> client.send("GET", "/", Map.of(), new byte[0], TIMEOUT))
                    .isInstanceOf(SSLException.class);
        }
    }

    private static ScriptedServer tlsServer() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        return ScriptedServer.start(socket, (index, peer) -> {
            while (peer.read() != null) {
                peer.answer(200, "secure");
            }
        });
    }

    private static SSLContext trusting() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
