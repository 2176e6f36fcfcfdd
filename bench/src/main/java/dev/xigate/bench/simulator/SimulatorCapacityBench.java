package dev.xigate.bench.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.LatencyProfile;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Measures the simulator's capacity on this machine, end to end over loopback, client and simulator in one JVM:
 * <ol>
 *   <li>how many concurrent streaming text-to-speech connections it holds at once (each stream lasts about
 *       {@code --stream-seconds}, paced like real generation), and whether any fails;</li>
 *   <li>its request rate for short non-streaming requests (no simulated latency), from a closed loop of workers.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/xigate-bench.jar dev.xigate.bench.simulator.SimulatorCapacityBench
 * [--connections 2000] [--stream-seconds 8] [--workers 32] [--rate-seconds 10] [--out bench/results/x.json]}.
 * Not a test: it prints a JSON result and writes it to {@code --out}.
 */
public final class SimulatorCapacityBench {
    private static final String VOICE = Simulator.DEFAULT_VOICE_ID;
    private static final int STREAM_CHARACTERS = 200;

    private SimulatorCapacityBench() {
    }

    /** Runs both measurements and writes the JSON result. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int connections = Integer.parseInt(options.getOrDefault("connections", "2000"));
        int streamSeconds = Integer.parseInt(options.getOrDefault("stream-seconds", "8"));
        int workers = Integer.parseInt(options.getOrDefault("workers", "32"));
        int rateSeconds = Integer.parseInt(options.getOrDefault("rate-seconds", "10"));
        Path out = Path.of(options.getOrDefault("out", "bench/results/simulator-capacity.json"));

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode result = json.createObjectNode();
        result.put("benchmark", "simulator-capacity");
        result.set("machine", MachineInfo.collect(json));
        result.set("streaming", streaming(json, connections, streamSeconds));
        result.set("short_requests", shortRequests(json, workers, rateSeconds));
        result.put("load_average_after", MachineInfo.loadAverage());
        result.put("note", "client and simulator share one JVM and the machine's cores; the machine is shared with "
                + "other builds and benchmarks, so figures are rough");
        String text = json.writeValueAsString(result);
        System.out.println(text);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text + "\n");
    }

    private static ObjectNode streaming(ObjectMapper json, int connections, int streamSeconds) throws Exception {
        double perCharMillis = streamSeconds * 1000.0 / STREAM_CHARACTERS;
        SimulatorConfig config = SimulatorConfig.builder().plan(PlanTier.PRO)
                .limit(ModelFamily.TURBO_FLASH, 1_000_000)
                .latency(ModelFamily.TURBO_FLASH, LatencyProfile.ofMillis(75, perCharMillis))
                .build();
        Histogram headers = new ConcurrentHistogram(3);
        Histogram ttfb = new ConcurrentHistogram(3);
        Histogram total = new ConcurrentHistogram(3);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        LongAdder ok = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicInteger maxOpen = new AtomicInteger();
        long started;
        long finished;
        try (Simulator sim = Simulator.start(config);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient client = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(30)).build();
            String body = "{\"text\":\"" + "word ".repeat(STREAM_CHARACTERS / 5)
                    + "\",\"model_id\":\"eleven_flash_v2_5\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUri() + "/v1/text-to-speech/" + VOICE
                    + "/stream?output_format=mp3_22050_32")).header("xi-api-key", "bench")
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    maxOpen.accumulateAndGet(sim.stats().family(ModelFamily.TURBO_FLASH).currentConcurrency(),
                            Math::max);
                    sleep(50);
                }
            });
            CountDownLatch done = new CountDownLatch(connections);
            started = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                pool.submit(() -> {
                    try {
                        stream(client, request, new Histogram[] {headers, ttfb, total}, bytes);
                        ok.increment();
                    } catch (Exception e) {
                        errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                ignored -> new LongAdder()).increment();
                    } finally {
                        done.countDown();
                    }
                });
                // Open the connections over about two seconds, as a fleet of clients would.
                if (i % 100 == 99) {
                    sleep(100);
                }
            }
            done.await(streamSeconds * 10L + 60, TimeUnit.SECONDS);
            finished = System.nanoTime();
            sampling.set(false);
            sampler.join();
        }
        ObjectNode node = json.createObjectNode();
        node.put("connections_requested", connections);
        node.put("max_concurrent_streams_observed", maxOpen.get());
        node.put("completed_ok", ok.sum());
        node.put("errors", errors.values().stream().mapToLong(LongAdder::sum).sum());
        ObjectNode errorKinds = node.putObject("error_kinds");
        errors.forEach((kind, count) -> errorKinds.put(kind, count.sum()));
        node.put("stream_target_seconds", streamSeconds);
        node.put("wall_seconds", round((finished - started) / 1e9));
        node.put("bytes_received", bytes.sum());
        node.set("time_to_response_headers_ms", percentiles(json, headers));
        node.set("time_to_first_body_read_ms", percentiles(json, ttfb));
        node.set("stream_duration_ms", percentiles(json, total));
        return node;
    }

    private static void stream(HttpClient client, HttpRequest request, Histogram[] timings, LongAdder bytes)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        // The simulator sends its headers together with the first audio chunk, after the time to first byte.
        timings[0].recordValue(Math.max(1, (System.nanoTime() - start) / 1_000_000));
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("status " + response.statusCode());
        }
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[16_384];
            int n = in.read(buffer);
            timings[1].recordValue(Math.max(1, (System.nanoTime() - start) / 1_000_000));
            long received = 0;
            while (n >= 0) {
                received += n;
                n = in.read(buffer);
            }
            bytes.add(received);
        }
        timings[2].recordValue(Math.max(1, (System.nanoTime() - start) / 1_000_000));
    }

    private static ObjectNode shortRequests(ObjectMapper json, int workers, int seconds) throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0)
                .limit(ModelFamily.TURBO_FLASH, 1_000_000).build();
        Histogram latency = new ConcurrentHistogram(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long measuredNanos;
        try (Simulator sim = Simulator.start(config);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient client = HttpClient.newBuilder().executor(pool).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUri() + "/v1/text-to-speech/" + VOICE
                    + "?output_format=mp3_22050_32")).header("xi-api-key", "bench")
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"text\":\"Hello.\",\"model_id\":\"eleven_flash_v2_5\"}"))
                    .build();
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch stopped = new CountDownLatch(workers);
            for (int i = 0; i < workers; i++) {
                pool.submit(() -> {
                    try {
                        while (running.get()) {
                            long start = System.nanoTime();
                            boolean success = shortRequest(client, request);
                            if (measuring.get()) {
                                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                                (success ? ok : failed).increment();
                            }
                        }
                    } finally {
                        stopped.countDown();
                    }
                });
            }
            sleep(3_000);
            measuring.set(true);
            long start = System.nanoTime();
            sleep(seconds * 1_000L);
            measuring.set(false);
            measuredNanos = System.nanoTime() - start;
            running.set(false);
            stopped.await(30, TimeUnit.SECONDS);
        }
        ObjectNode node = json.createObjectNode();
        node.put("workers", workers);
        node.put("measured_seconds", round(measuredNanos / 1e9));
        node.put("requests_ok", ok.sum());
        node.put("requests_failed", failed.sum());
        node.put("requests_per_second", round(ok.sum() / (measuredNanos / 1e9)));
        ObjectNode micros = percentiles(json, latency);
        node.set("latency_us", micros);
        node.put("request", "POST /v1/text-to-speech/{voice} flash, 6 characters, mp3_22050_32, latency scale 0");
        return node;
    }

    private static boolean shortRequest(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 && response.body().length > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ObjectNode percentiles(ObjectMapper json, Histogram histogram) {
        ObjectNode node = json.createObjectNode();
        node.put("p50", histogram.getValueAtPercentile(50));
        node.put("p90", histogram.getValueAtPercentile(90));
        node.put("p99", histogram.getValueAtPercentile(99));
        node.put("max", histogram.getMaxValue());
        node.put("count", histogram.getTotalCount());
        return node;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("option: " + args[i] + " (expected: --name value)");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        options.putIfAbsent("started", Instant.now().toString());
        return options;
    }
}
