package dev.xigate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Talks to the simulator's control endpoints: {@code GET /_sim/stats}, {@code GET|POST /_sim/chaos} and
 * {@code POST /_sim/reset}. Thread-safe.
 */
public final class SimulatorClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String NO_CHAOS = "{\"failure_rates\":{}}";

    private final HttpClient http;
    private final URI base;

    /**
     * Creates a client.
     *
     * @param http the HTTP client
     * @param base the simulator's base URL, for example {@code http://127.0.0.1:9000}
     */
    public SimulatorClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /**
     * What the simulator counted.
     *
     * @param requests requests it received on {@code /v1/...}
     * @param byStatus answers per HTTP status
     * @param inFlight requests in flight now, per model family
     * @param maxInFlight the most requests in flight at once since the last reset, per model family
     */
    public record Stats(long requests, Map<String, Long> byStatus, Map<String, Integer> inFlight,
            Map<String, Integer> maxInFlight) {

        /** Returns the answers with a status of 400 or more. */
        public long errors() {
            return byStatus.entrySet().stream().filter(e -> e.getKey().compareTo("400") >= 0)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Returns the requests in flight now over every family. */
        public int totalInFlight() {
            return inFlight.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Returns the simulator's counters, or empty when it cannot be reached or answers in another shape. */
    public Optional<Stats> stats() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(resolve("/_sim/stats"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(parseStats(JSON.readTree(response.body())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Returns the stats in the simulator's JSON shape: {@code {"families": {"multilingual": {"requests", "responses":
     * {"200": n}, "current_concurrency", "max_concurrency", ...}, ...}}}. Families without requests are left out.
     */
    static Stats parseStats(JsonNode root) {
        long requests = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Integer> inFlight = new TreeMap<>();
        Map<String, Integer> max = new TreeMap<>();
        for (Map.Entry<String, JsonNode> family : fields(root.path("families")).entrySet()) {
            JsonNode stats = family.getValue();
            long familyRequests = stats.path("requests").asLong(0);
            int current = stats.path("current_concurrency").asInt(0);
            int peak = stats.path("max_concurrency").asInt(0);
            if (familyRequests == 0 && current == 0 && peak == 0) {
                continue;
            }
            requests += familyRequests;
            fields(stats.path("responses")).forEach((status, count) -> byStatus.merge(status, count.asLong(),
                    Long::sum));
            inFlight.put(family.getKey(), current);
            max.put(family.getKey(), peak);
        }
        return new Stats(requests, byStatus, inFlight, max);
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            map.put(entry.getKey(), entry.getValue());
        }
        return map;
    }

    /**
     * Returns the current chaos settings as JSON text so they can be restored, or a body that switches chaos off
     * when the simulator cannot report them.
     */
    public String currentChaos() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(resolve("/_sim/chaos"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && JSON.readTree(response.body()).isObject()) {
                return response.body();
            }
        } catch (IOException e) {
            return NO_CHAOS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return NO_CHAOS;
    }

    /**
     * Returns the chaos request body that makes a request fail with probability {@code failureRate}, spread evenly
     * over the fault kinds (the simulator draws each kind independently, so each gets
     * {@code 1 - (1 - rate)^(1/k)}).
     */
    public static String chaosBody(double failureRate, List<String> faultKinds) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode rates = body.putObject("failure_rates");
        double each = faultKinds.isEmpty() ? 0 : 1 - Math.pow(1 - failureRate, 1.0 / faultKinds.size());
        for (String kind : faultKinds) {
            rates.put(kind, Math.round(each * 1e6) / 1e6);
        }
        return body.toString();
    }

    /**
     * Sends chaos settings ({@code POST /_sim/chaos}).
     *
     * @throws IllegalStateException when the simulator refuses them
     */
    public void setChaos(String body) {
        post("/_sim/chaos", body);
    }

    /**
     * Clears the simulator's counters ({@code POST /_sim/reset}).
     *
     * @throws IllegalStateException when the simulator refuses
     */
    public void reset() {
        post("/_sim/reset", "{}");
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("cannot POST " + path + " to the simulator: status "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot POST " + path + " to the simulator at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the simulator", e);
        }
    }

    private URI resolve(String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }
}
