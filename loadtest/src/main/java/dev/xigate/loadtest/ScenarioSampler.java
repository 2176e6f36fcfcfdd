package dev.xigate.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Creates the requests of a run from a {@link Scenario}: picks endpoint, model, priority and client by weight and
 * writes a text of a sampled length.
 *
 * <p>Thread-safe: each call derives its own random stream from the run seed and the request's sequence number, so
 * a run with the same seed asks for the same requests whatever order threads take them in.
 */
public final class ScenarioSampler {
    private static final String[] WORDS = {
        "gateway", "queue", "voice", "signal", "harbour", "amber", "quiet", "river", "lantern", "orbit", "meadow",
        "copper", "echo", "summit", "velvet", "compass", "thunder", "pepper", "island", "marble", "window"};

    private final Scenario scenario;
    private final long seed;
    private final Weighted<Endpoint> endpoints;
    private final Weighted<String> models;
    private final Weighted<String> priorities;
    private final Weighted<Scenario.Client> clients;

    /**
     * Creates a sampler.
     *
     * @param scenario the validated scenario
     * @param defaultApiKey the key used when the scenario lists no clients
     * @param seed the run seed
     */
    public ScenarioSampler(Scenario scenario, String defaultApiKey, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        this.endpoints = Weighted.of(scenario.endpoints(), Endpoint::fromLabel);
        this.models = Weighted.of(scenario.models(), id -> id);
        this.priorities = scenario.priorities().isEmpty() ? null : Weighted.of(scenario.priorities(), p -> p);
        List<Scenario.Client> clientList = scenario.clients().isEmpty()
                ? List.of(new Scenario.Client("default", defaultApiKey, 1.0))
                : scenario.clients();
        List<Map.Entry<Scenario.Client, Double>> entries = new ArrayList<>();
        for (Scenario.Client client : clientList) {
            entries.add(Map.entry(client, client.weight() == null ? 1.0 : client.weight()));
        }
        this.clients = new Weighted<>(entries);
    }

    /** Returns the request numbered {@code sequence}. */
    public PlannedRequest next(long sequence) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sequence);
        Endpoint endpoint = endpoints.pick(random);
        String model = endpoint == Endpoint.STT ? scenario.sttModel() : models.pick(random);
        String priority = priorities == null ? null : priorities.pick(random);
        Scenario.Client client = clients.pick(random);
        String label = client.name() == null ? "client" : client.name();
        String text = text(sequence, textLength(random), random);
        return new PlannedRequest(sequence, endpoint, model, priority, label, client.apiKey(), scenario.voiceId(),
                text);
    }

    /** Returns a think time in milliseconds drawn from the scenario's range. */
    public long thinkTimeMillis(long sequence) {
        Scenario.Range range = scenario.thinkTimeMs();
        if (range.max().equals(range.min())) {
            return range.min();
        }
        return new SplittableRandom(seed ^ sequence).nextLong(range.min(), range.max() + 1L);
    }

    private int textLength(SplittableRandom random) {
        Scenario.TextLength length = scenario.textLength();
        return switch (length.distribution()) {
            case "fixed" -> length.value();
            case "normal" -> {
                double gaussian = gaussian(random);
                long value = Math.round(length.mean() + gaussian * length.stddev());
                yield (int) Math.max(length.min(), Math.min(length.max(), value));
            }
            default -> random.nextInt(length.min(), length.max() + 1);
        };
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 21 without the RandomGenerator default.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static String text(long sequence, int length, SplittableRandom random) {
        StringBuilder text = new StringBuilder(length + 16).append("Request ").append(sequence).append('.');
        while (text.length() < length) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.setLength(length);
        return text.toString();
    }

    /** A weighted choice over a fixed list. */
    private record Weighted<T>(List<Map.Entry<T, Double>> entries) {
        static <T> Weighted<T> of(Map<String, Double> weights, Function<String, T> parse) {
            List<Map.Entry<T, Double>> list = new ArrayList<>();
            weights.forEach((key, weight) -> {
                if (weight > 0) {
                    list.add(Map.entry(parse.apply(key), weight));
                }
            });
            return new Weighted<>(List.copyOf(list));
        }

        T pick(SplittableRandom random) {
            double total = 0;
            for (Map.Entry<T, Double> entry : entries) {
                total += entry.getValue();
            }
            double point = random.nextDouble() * total;
            for (Map.Entry<T, Double> entry : entries) {
                point -= entry.getValue();
                if (point < 0) {
                    return entry.getKey();
                }
            }
            return entries.get(entries.size() - 1).getKey();
        }
    }
}
