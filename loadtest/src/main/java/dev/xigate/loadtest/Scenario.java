package dev.xigate.loadtest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xigate.plan.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traffic mix: which endpoints, models, priorities, text lengths, clients and think times the load is made of.
 *
 * <p>Read from a YAML file ({@code --scenario FILE}); every field is optional. Weights are relative (they need not
 * sum to 1). Immutable after {@link #validated()}.
 *
 * @param name a label for reports
 * @param voiceId the voice every text-to-speech request uses
 * @param endpoints endpoint label to weight
 * @param models text-to-speech model id to weight
 * @param sttModel the model id sent with speech-to-text uploads
 * @param priorities value of the {@code x-xigate-priority} header to weight; empty sends no header
 * @param textLength the distribution of text lengths in characters
 * @param clients the API keys the load is spread over; empty uses {@code --api-key}
 * @param thinkTimeMs the pause a closed-loop client takes between two requests
 */
public record Scenario(
        String name,
        String voiceId,
        Map<String, Double> endpoints,
        Map<String, Double> models,
        String sttModel,
        Map<String, Double> priorities,
        TextLength textLength,
        List<Client> clients,
        Range thinkTimeMs) {

    /** The voice used when a scenario names none (a premade voice of the public voice library). */
    public static final String DEFAULT_VOICE = "JBFqnCBsd6RMkjVDRZzb";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One client of the mix: its own API key and its share of the requests.
     *
     * @param name a label for reports (never the key)
     * @param apiKey the key sent as {@code xi-api-key}
     * @param weight the relative share of requests
     */
    public record Client(String name, String apiKey, Double weight) {
    }

    /**
     * A closed range of milliseconds or characters.
     *
     * @param min the smallest value
     * @param max the largest value
     */
    public record Range(Integer min, Integer max) {
    }

    /**
     * A text length distribution: {@code fixed} (value), {@code uniform} (min..max) or {@code normal}
     * (mean, stddev, clipped to min..max).
     *
     * @param distribution fixed, uniform or normal
     * @param value the length of a fixed distribution
     * @param min the shortest text
     * @param max the longest text
     * @param mean the mean of a normal distribution
     * @param stddev the standard deviation of a normal distribution
     */
    public record TextLength(String distribution, Integer value, Integer min, Integer max,
            Double mean, Double stddev) {
    }

    /** Returns the scenario used without {@code --scenario}: text-to-speech convert calls with 40–200 chars. */
    public static Scenario defaults() {
        return new Scenario(null, null, null, null, null, null, null, null, null).validated();
    }

    /**
     * Returns the scenario read from a YAML file, validated.
     *
     * @throws IllegalArgumentException with the file and the offending field when the file is not a valid scenario
     */
    public static Scenario load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("scenario: " + file + " (expected: a readable YAML file)");
        }
        try {
            Scenario raw = YAML.readValue(file.toFile(), Scenario.class);
            return (raw == null ? defaults() : raw).validated();
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("scenario: " + file + ": " + e.getOriginalMessage()
                    + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("scenario: " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a copy with defaults filled in and every field checked.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public Scenario validated() {
        Map<String, Double> endpointMix = weights("endpoints", endpoints, Map.of("convert", 1.0));
        endpointMix.keySet().forEach(Endpoint::fromLabel);
        Map<String, Double> modelMix = weights("models", models, Map.of(ModelCatalog.DEFAULT_TTS_MODEL, 1.0));
        Map<String, Double> priorityMix = weights("priorities", priorities, Map.of());
        TextLength length = validLength(textLength);
        List<Client> clientList = clients == null ? List.of() : List.copyOf(clients);
        for (int i = 0; i < clientList.size(); i++) {
            Client client = clientList.get(i);
            if (client == null || client.apiKey() == null || client.apiKey().isBlank()) {
                throw new IllegalArgumentException("clients[" + i + "].api_key: missing (expected: a non-empty key)");
            }
            if (client.weight() != null && !(client.weight() > 0)) {
                throw new IllegalArgumentException("clients[" + i + "].weight: " + client.weight()
                        + " (expected: > 0)");
            }
        }
        Range think = thinkTimeMs == null ? new Range(0, 0) : thinkTimeMs;
        int thinkMin = think.min() == null ? 0 : think.min();
        int thinkMax = think.max() == null ? thinkMin : think.max();
        if (thinkMin < 0 || thinkMax < thinkMin || thinkMax > 600_000) {
            throw new IllegalArgumentException("think_time_ms: " + thinkMin + ".." + thinkMax
                    + " (expected: 0 <= min <= max <= 600000)");
        }
        return new Scenario(name == null ? "default" : name, voiceId == null ? DEFAULT_VOICE : voiceId,
                endpointMix, modelMix, sttModel == null ? "scribe_v1" : sttModel, priorityMix, length, clientList,
                new Range(thinkMin, thinkMax));
    }

    private static Map<String, Double> weights(String field, Map<String, Double> given, Map<String, Double> fallback) {
        if (given == null || given.isEmpty()) {
            return new LinkedHashMap<>(fallback);
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : given.entrySet()) {
            Double weight = entry.getValue();
            if (weight == null || !(weight >= 0) || weight.isInfinite()) {
                throw new IllegalArgumentException(field + "." + entry.getKey() + ": " + weight
                        + " (expected: a weight >= 0)");
            }
            copy.put(entry.getKey(), weight);
        }
        if (copy.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException(field + ": all weights are 0 (expected: at least one weight > 0)");
        }
        return copy;
    }

    private static TextLength validLength(TextLength given) {
        if (given == null) {
            return new TextLength("uniform", null, 40, 200, null, null);
        }
        String kind = given.distribution() == null ? "uniform" : given.distribution();
        return switch (kind) {
            case "fixed" -> {
                int value = given.value() == null ? 100 : given.value();
                checkLength("text_length.value", value);
                yield new TextLength(kind, value, value, value, null, null);
            }
            case "uniform" -> {
                int min = given.min() == null ? 40 : given.min();
                int max = given.max() == null ? Math.max(min, 200) : given.max();
                checkLength("text_length.min", min);
                checkLength("text_length.max", max);
                if (max < min) {
                    throw new IllegalArgumentException("text_length.max: " + max + " (expected: >= min " + min + ")");
                }
                yield new TextLength(kind, null, min, max, null, null);
            }
            case "normal" -> {
                double mean = given.mean() == null ? 200 : given.mean();
                double stddev = given.stddev() == null ? mean / 4 : given.stddev();
                int min = given.min() == null ? 1 : given.min();
                int max = given.max() == null ? 5_000 : given.max();
                checkLength("text_length.min", min);
                checkLength("text_length.max", max);
                if (!(stddev >= 0) || !(mean >= min) || !(mean <= max)) {
                    throw new IllegalArgumentException("text_length: mean " + mean + " stddev " + stddev
                            + " (expected: stddev >= 0 and min <= mean <= max)");
                }
                yield new TextLength(kind, null, min, max, mean, stddev);
            }
            default -> throw new IllegalArgumentException("text_length.distribution: " + kind
                    + " (expected: one of fixed, uniform, normal)");
        };
    }

    private static void checkLength(String field, int value) {
        if (value < 1 || value > 40_000) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 1..40000)");
        }
    }
}
