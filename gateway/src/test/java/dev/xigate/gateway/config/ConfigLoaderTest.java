package dev.xigate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.plan.ModelFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String HASH = KeyHashes.sha256Hex("k");

    @Test
    void readsTheDocumentedExampleFile() {
        Path example = Path.of(System.getenv().getOrDefault("XIGATE_ROOT", "..")).resolve("docs/examples/gateway.yaml");
        GatewayConfig config = ConfigLoader.load(example);
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.upstream().responseTimeout()).isEqualTo(Duration.ofSeconds(240));
        assertThat(config.upstream().httpClient()).isEqualTo("http1");
        assertThat(config.limits().families()).containsEntry("turbo_flash", 20);
        assertThat(config.clients()).hasSize(2);
        assertThat(config.clients().get(0).keySha256()).isEqualTo(KeyHashes.sha256Hex("web-secret"));
        assertThat(config.clients().get(1).charactersPerDay()).isEqualTo(2_000_000L);
        LimiterConfig limiter = LimiterFactory.limiterConfig(config);
        assertThat(limiter.pool(ModelFamily.TURBO_FLASH).limit()).isEqualTo(20);
        assertThat(limiter.policiesOf("batch")).hasSize(2);
    }

    @Test
    void anEmptyFileMeansEveryDefault() {
        GatewayConfig config = ConfigLoader.validate(ConfigLoader.parse(""));
        assertThat(config).isEqualTo(GatewayConfig.ofDefaults());
        assertThat(config.server().bind()).isEqualTo("127.0.0.1");
        assertThat(config.plan()).isEqualTo("pro");
    }

    @Test
    void readsDurationsWrittenForPeople() {
        GatewayConfig config = ConfigLoader.parse("server:\n  shutdown-timeout: 250ms\n"
                + "limits:\n  queue-timeout: PT2M\n");
        assertThat(config.server().shutdownTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.limits().queueTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void namesAnUnknownKeyAndListsTheKnownOnes() {
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  prot: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.prot: unknown key (expected: one of ")
                .hasMessageContaining("admin-port");
    }

    @Test
    void namesAFieldOfTheWrongType() {
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  port: eighty\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.port: ");
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  shutdown-timeout: soon\n"))
                .hasMessageStartingWith("server.shutdown-timeout: ")
                .hasMessageContaining("expected: a number with ms, s, m or h");
    }

    @Test
    void listsEveryInvalidFieldInOneMessage() {
        String yaml = "server:\n  port: 70000\n  admin-port: 70000\nplan: gold\nupstream:\n  url: ftp://x\n"
                + "  http-client: curl\n"
                + "limits:\n  families:\n    speech: 3\n"
                + "clients:\n  - name: a\n    key-sha256: abc\n  - name: a\n    key-sha256: " + HASH
                + "\n    default-priority: high\n    max-priority: low\n";
        assertThatThrownBy(() -> ConfigLoader.validate(ConfigLoader.parse(yaml)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "server.port: 70000 (expected: 0..65535)",
                        "server.admin-port: 70000 (expected: 0..65535)",
                        "server.admin-port: 70000 (expected: different from server.port)",
                        "upstream.url: ftp://x (expected: an http or https URL without query)",
                        "upstream.http-client: curl (expected: http1 or jdk)",
                        "plan: gold (expected: one of free, starter, creator, pro, scale, business, enterprise)",
                        "limits.families.speech: speech (expected: one of multilingual, turbo_flash, stt, music,"
                                + " default)",
                        "clients[0].key-sha256: abc (expected: 64 lower-case hex characters, as printed by"
                                + " xigate serve --hash-key)",
                        "clients[1].name: a (expected: unique among clients)",
                        "clients[1].default-priority: high (expected: not higher than max-priority low)"));
    }

    @Test
    void keepsTheResilienceSectionForItsReaderAndValidatesIt() {
        GatewayConfig config = ConfigLoader.validate(ConfigLoader.parse(
                "resilience:\n  retry:\n    max-attempts: 4\n"));
        assertThat(config.resilience().path("retry").path("max-attempts").asInt()).isEqualTo(4);
        assertThatThrownBy(() -> ConfigLoader.validate(ConfigLoader.parse("resilience:\n  retri: {}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retri");
    }

    @Test
    void readsTheUpstreamKeyFromTheSecretFileBeforeTheEnvironment(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("key");
        Files.writeString(secret, "from-file\n");
        UpstreamSettings settings = UpstreamSettings.ofDefaults().withApiKeyFile(secret.toString());
        assertThat(ApiKeySource.resolve(settings, name -> "from-env")).contains("from-file");
        assertThat(ApiKeySource.resolve(UpstreamSettings.ofDefaults(), Map.of("ELEVENLABS_API_KEY", "from-env")::get))
                .contains("from-env");
        assertThat(ApiKeySource.resolve(UpstreamSettings.ofDefaults(), name -> null)).isEmpty();
        Files.writeString(secret, "  \n");
        assertThatThrownBy(() -> ApiKeySource.resolve(settings, name -> null))
                .hasMessageContaining("upstream.api-key-file");
    }
}
