package dev.xigate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link MetricsOverheadBenchmark} briefly and writes bench/results/metrics-overhead-DATE'T'HHMM.json: the
 * machine, each benchmark's mean and error in ns/op, and each step's overhead over the baseline (difference, ratio).
 *
 * <p>Usage: {@code java -Djmh.ignoreLock=true -cp bench/target/xigate-bench.jar dev.xigate.bench.MetricsOverheadRun
 * [results-dir] [threads]}.
 */
public final class MetricsOverheadRun {
    private MetricsOverheadRun() {
    }

    /** Runs the benchmark and writes the result file. */
    public static void main(String[] args) throws Exception {
        Path resultsDir = Path.of(args.length > 0 ? args[0] : "bench/results");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Options options = new OptionsBuilder()
                .include(MetricsOverheadBenchmark.class.getName())
                .forks(1)
                .threads(threads)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(10)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow", "-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(options).run();

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", MetricsOverheadBenchmark.class.getName());
        root.put("threads", threads);
        root.put("note", "Noisy 2-core machine shared with other builds; compare rows of this one run only.");
        MachineInfo.describe(root.putObject("machine"));
        double baseline = score(results, "buildOutcomeOnly");
        ArrayNode rows = root.putArray("results");
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            double mean = result.getPrimaryResult().getScore();
            rows.addObject()
                    .put("benchmark", name.substring(name.lastIndexOf('.') + 1))
                    .put("meanNanos", mean)
                    .put("errorNanos", result.getPrimaryResult().getScoreError())
                    .put("overBaselineNanos", mean - baseline)
                    .put("ratioToBaseline", mean / baseline);
        }
        Files.createDirectories(resultsDir);
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm"));
        Path file = resultsDir.resolve("metrics-overhead-" + stamp + ".json");
        json.writeValue(file.toFile(), root);
        System.out.println("wrote " + file);
    }

    private static double score(Collection<RunResult> results, String benchmark) {
        return results.stream()
                .filter(result -> result.getParams().getBenchmark().endsWith("." + benchmark))
                .mapToDouble(result -> result.getPrimaryResult().getScore())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("benchmark " + benchmark + " did not run"));
    }
}
