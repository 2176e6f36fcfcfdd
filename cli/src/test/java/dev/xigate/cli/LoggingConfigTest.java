package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.metrics.AccessLogEntry;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the shipped logback.xml into a private context and checks what it writes. */
class LoggingConfigTest {
    private static final String UPSTREAM_KEY = "sk_0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path logDir;

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private void configure(Map<String, String> properties) throws Exception {
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LoggingConfigTest.class.getResource("/logback.xml"));
    }

    private static RequestOutcome outcome(String requestId) {
        return new RequestOutcome(requestId, "user-42", "web", "tts_stream", "eleven_flash_v2_5",
                ModelFamily.TURBO_FLASH, "high", 200, 2, 12_500_000L, 850_000_000L, 140_000_000L, 321, 4.2, null,
                RequestOutcome.CacheResult.MISS);
    }

    @Test
    void writesOneJsonLinePerRequestToRollingFile() throws Exception {
        configure(Map.of("XIGATE_LOG_APPENDER", "FILE", "XIGATE_LOG_DIR", logDir.toString()));
        Logger access = context.getLogger(AccessLogEntry.LOGGER_NAME);

        AccessLogEntry.fill(access.atInfo(), outcome("req-7")).log();
        context.stop();

        List<String> lines = Files.readAllLines(logDir.resolve("xigate.log"));
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(OffsetDateTime.parse(line.path("@timestamp").asText())).isNotNull();
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("message").asText()).isEqualTo("req-7 Request completed");
        assertThat(line.path("requestId").asText()).isEqualTo("req-7");
        assertThat(line.path("userId").asText()).isEqualTo("user-42");
        assertThat(line.path("client").asText()).isEqualTo("web");
        assertThat(line.path("endpoint").asText()).isEqualTo("tts_stream");
        assertThat(line.path("model").asText()).isEqualTo("eleven_flash_v2_5");
        assertThat(line.path("family").asText()).isEqualTo("turbo_flash");
        assertThat(line.path("priority").asText()).isEqualTo("high");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("attempts").asInt()).isEqualTo(2);
        assertThat(line.path("queueWaitMs").asDouble()).isEqualTo(12.5);
        assertThat(line.path("durationMs").asDouble()).isEqualTo(850.0);
        assertThat(line.path("characters").asLong()).isEqualTo(321);
        assertThat(line.has("version")).isFalse();
    }

    @Test
    void rollsFilesAtTheSizeCapIntoCompressedArchives() throws Exception {
        configure(Map.of("XIGATE_LOG_APPENDER", "FILE", "XIGATE_LOG_DIR", logDir.toString(),
                "XIGATE_LOG_MAX_FILE_SIZE", "2KB"));
        Logger access = context.getLogger(AccessLogEntry.LOGGER_NAME);

        for (int i = 0; i < 400; i++) {
            AccessLogEntry.fill(access.atInfo(), outcome("req-" + i)).log();
        }
        context.stop();

        try (Stream<Path> files = Files.list(logDir)) {
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".log.gz")))
                    .isNotEmpty()
                    .allMatch(name -> name.matches("xigate\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz"));
        }
    }

    @Test
    void masksAnUpstreamKeyThatSlipsIntoAMessage() throws Exception {
        configure(Map.of("XIGATE_LOG_APPENDER", "FILE", "XIGATE_LOG_DIR", logDir.toString()));

        context.getLogger("dev.xigate.test").warn("req-1 Upstream refused key={}", UPSTREAM_KEY);
        context.stop();

        String text = Files.readString(logDir.resolve("xigate.log"));
        assertThat(text).doesNotContain(UPSTREAM_KEY).contains("****");
    }

    @Test
    void writesToStdoutByDefaultAndHonoursTheLevel() throws Exception {
        configure(Map.of("XIGATE_LOG_LEVEL", "WARN"));

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getAppender("STDOUT")).isNotNull();
        assertThat(root.getAppender("FILE")).isNull();
        assertThat(context.getLogger(AccessLogEntry.LOGGER_NAME).isInfoEnabled()).isFalse();
        assertThat(context.getLogger("dev.xigate.gateway").isWarnEnabled()).isTrue();
        assertThat(isEmpty(Path.of("logs"))).isTrue();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
