package dev.xigate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xigate.gateway.auth.Priority;
import dev.xigate.gateway.resilience.ResilienceSettingsReader;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the gateway's YAML configuration into {@link GatewayConfig} and validates it.
 *
 * <p>Keys are kebab-case ({@code admin-port}); unknown keys are errors, so a typo never passes silently. Every
 * problem message names its field, for example {@code clients[1].key-sha256: abc (expected: 64 hex characters)}.
 * Thread-safe.
 */
public final class ConfigLoader {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

    private ConfigLoader() {
    }

    /**
     * Returns the validated configuration in a YAML file.
     *
     * @throws ConfigException if the file cannot be read or holds invalid values
     */
    public static GatewayConfig load(Path file) {
        try {
            return validate(parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file: " + file + " (expected: an existing readable file)", e);
        } catch (IOException e) {
            throw new ConfigException("config file: " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the configuration in a YAML text, not yet validated.
     *
     * @throws ConfigException if the text is not YAML or does not fit the configuration's shape
     */
    public static GatewayConfig parse(String yaml) {
        if (yaml.isBlank()) {
            return GatewayConfig.ofDefaults();
        }
        try {
            GatewayConfig config = YAML.readValue(yaml, GatewayConfig.class);
            return config == null ? GatewayConfig.ofDefaults() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(pathOf(e) + ": unknown key (expected: one of "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList())
                    + ")", e);
        } catch (JsonMappingException e) {
            throw new ConfigException(pathOf(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config: not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Returns the configuration unchanged when it is valid.
     *
     * @throws ConfigException listing every invalid field
     */
    public static GatewayConfig validate(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        checkServer(config.server(), problems);
        checkUpstream(config.upstream(), problems);
        check(problems, "plan", config.plan(), () -> PlanTier.fromLabel(config.plan()));
        checkLimits(config.limits(), problems);
        checkClients(config.clients(), problems);
        try {
            ResilienceSettingsReader.read(config.resilience());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage().startsWith("resilience") ? e.getMessage() : "resilience." + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private static void checkServer(ServerSettings server, List<String> problems) {
        if (server.bind().isBlank()) {
            problems.add("server.bind: '' (expected: an IP address or host name)");
        }
        checkPort(problems, "server.port", server.port());
        checkPort(problems, "server.admin-port", server.adminPort());
        if (server.port() != 0 && server.port().equals(server.adminPort())) {
            problems.add("server.admin-port: " + server.adminPort() + " (expected: different from server.port)");
        }
        if (server.maxBodyBytes() < 1) {
            problems.add("server.max-body-bytes: " + server.maxBodyBytes() + " (expected: >= 1)");
        }
        if (server.shutdownTimeout().isNegative()) {
            problems.add("server.shutdown-timeout: " + server.shutdownTimeout() + " (expected: >= 0)");
        }
    }

    private static void checkUpstream(UpstreamSettings upstream, List<String> problems) {
        URI uri = null;
        try {
            uri = URI.create(upstream.url());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (uri == null || uri.getHost() == null || uri.getRawQuery() != null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            problems.add("upstream.url: " + upstream.url() + " (expected: an http or https URL without query)");
        }
        if (upstream.apiKeyEnv().isBlank()) {
            problems.add("upstream.api-key-env: '' (expected: an environment variable name)");
        }
        checkPositive(problems, "upstream.connect-timeout", upstream.connectTimeout());
        checkPositive(problems, "upstream.response-timeout", upstream.responseTimeout());
        if (!UpstreamSettings.HTTP1_CLIENT.equals(upstream.httpClient())
                && !UpstreamSettings.JDK_CLIENT.equals(upstream.httpClient())) {
            problems.add("upstream.http-client: " + upstream.httpClient() + " (expected: "
                    + UpstreamSettings.HTTP1_CLIENT + " or " + UpstreamSettings.JDK_CLIENT + ")");
        }
        if (upstream.maxRequeues() < 0) {
            problems.add("upstream.max-requeues: " + upstream.maxRequeues() + " (expected: >= 0)");
        }
    }

    private static void checkLimits(LimitSettings limits, List<String> problems) {
        for (Map.Entry<String, Integer> entry : limits.families().entrySet()) {
            String field = "limits.families." + entry.getKey();
            check(problems, field, entry.getKey(), () -> ModelFamily.fromLabel(entry.getKey()));
            if (entry.getValue() == null || entry.getValue() < 0) {
                problems.add(field + ": " + entry.getValue() + " (expected: >= 0)");
            }
        }
        if (limits.queueCapacity() < 0) {
            problems.add("limits.queue-capacity: " + limits.queueCapacity() + " (expected: >= 0)");
        }
        checkPositive(problems, "limits.queue-timeout", limits.queueTimeout());
    }

    private static void checkClients(List<ClientSettings> clients, List<String> problems) {
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            String field = "clients[" + i + "]";
            ClientSettings client = clients.get(i);
            if (client == null) {
                problems.add(field + ": null (expected: a client with name and key-sha256)");
                continue;
            }
            if (client.name() == null || client.name().isBlank()) {
                problems.add(field + ".name: " + client.name() + " (expected: a non-empty name)");
            } else if (!names.add(client.name())) {
                problems.add(field + ".name: " + client.name() + " (expected: unique among clients)");
            }
            if (client.keySha256() == null || !SHA256_HEX.matcher(client.keySha256()).matches()) {
                problems.add(field + ".key-sha256: " + client.keySha256()
                        + " (expected: 64 lower-case hex characters, as printed by xigate serve --hash-key)");
            } else if (!hashes.add(client.keySha256())) {
                problems.add(field + ".key-sha256: " + client.keySha256() + " (expected: unique among clients)");
            }
            boolean defaultOk = check(problems, field + ".default-priority", client.defaultPriority(),
                    () -> Priority.parse(client.defaultPriority()));
            boolean maxOk = check(problems, field + ".max-priority", client.maxPriority(),
                    () -> Priority.parse(client.maxPriority()));
            if (defaultOk && maxOk && Priority.parse(client.defaultPriority()) < Priority.parse(client.maxPriority())) {
                problems.add(field + ".default-priority: " + client.defaultPriority()
                        + " (expected: not higher than max-priority " + client.maxPriority() + ")");
            }
            if (client.maxConcurrent() != null && client.maxConcurrent() < 1) {
                problems.add(field + ".max-concurrent: " + client.maxConcurrent() + " (expected: >= 1)");
            }
            if (client.requestsPerMinute() != null && client.requestsPerMinute() < 1) {
                problems.add(field + ".requests-per-minute: " + client.requestsPerMinute() + " (expected: >= 1)");
            }
            if (client.charactersPerDay() != null && client.charactersPerDay() < 1) {
                problems.add(field + ".characters-per-day: " + client.charactersPerDay() + " (expected: >= 1)");
            }
        }
    }

    private static boolean check(List<String> problems, String field, String value, Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            String detail = e.getMessage();
            int open = detail.indexOf(" (expected:");
            problems.add(field + ": " + value + (open >= 0 ? detail.substring(open) : " (" + detail + ")"));
            return false;
        }
    }

    private static void checkPort(List<String> problems, String field, int port) {
        if (port < 0 || port > 65_535) {
            problems.add(field + ": " + port + " (expected: 0..65535)");
        }
    }

    private static void checkPositive(List<String> problems, String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(field + ": " + value + " (expected: > 0)");
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "config" : path.toString();
    }

    /** Reads durations as {@code 30s}, {@code 250ms}, {@code 5m} or ISO-8601. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return DurationText.parse(text == null ? parser.getText() : text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
