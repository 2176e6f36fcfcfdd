package dev.xigate.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Renders the suite's JSON result as a short markdown summary. Stateless. */
final class SuiteMarkdown {
    private SuiteMarkdown() {
    }

    /** Returns the markdown summary of a suite result. */
    static String render(JsonNode result, String jsonFile) {
        StringBuilder md = new StringBuilder();
        JsonNode machine = result.path("machine");
        md.append("# xigate benchmark suite, ").append(machine.path("date").asText()).append("\n\n");
        md.append("Full results: `").append(jsonFile).append("`.\n\n");
        md.append("Machine: ").append(machine.path("cores").asInt()).append(" cores, ")
                .append(machine.path("cpu_model").asText()).append(", ")
                .append(machine.path("memory_total_kb").asLong() / 1024).append(" MiB, JDK ")
                .append(machine.path("jdk").asText()).append(", ").append(machine.path("os").asText())
                .append("; load average ").append(machine.path("load_average").asText()).append(" before, ")
                .append(result.path("load_average_after").asText()).append(" after.\n\n");
        md.append("> ").append(result.path("note").asText()).append("\n\n");
        overhead(md, result.path("overhead"));
        queueing(md, result.path("queueing"));
        jmh(md, result.path("jmh"));
        return md.toString();
    }

    private static void overhead(StringBuilder md, JsonNode section) {
        md.append("## Overhead of the proxy\n\n").append(section.path("method").asText()).append(".\n\n");
        md.append("| arm | p50 ms | p99 ms | max ms | max throughput (rps) | errors (latency / throughput run) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (JsonNode arm : section.path("arms")) {
            JsonNode latency = arm.path("latency_ms");
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f | %d / %d |%n",
                    arm.path("arm").asText(), latency.path("p50").asDouble(), latency.path("p99").asDouble(),
                    latency.path("max").asDouble(), arm.path("max_throughput_rps").asDouble(),
                    arm.path("latency_errors").asLong(), arm.path("throughput_errors").asLong()));
        }
        md.append('\n');
        if (section.has("caveat")) {
            md.append("Caveat: ").append(section.path("caveat").asText()).append("\n\n");
        }
        section.path("added_vs_direct").fields().forEachRemaining(entry -> md.append(String.format(Locale.ROOT,
                "- %s adds %+.2f ms at p50 and %+.2f ms at p99; its maximum throughput is %.2fx direct.%n",
                entry.getKey(), entry.getValue().path("added_p50_ms").asDouble(),
                entry.getValue().path("added_p99_ms").asDouble(),
                entry.getValue().path("throughput_ratio").asDouble())));
        md.append('\n');
    }

    private static void queueing(StringBuilder md, JsonNode section) {
        md.append("## Value of queueing under overload\n\n");
        if (section.has("skipped")) {
            md.append("Skipped: ").append(section.path("skipped").asText()).append(".\n\n");
            return;
        }
        md.append(section.path("method").asText()).append(".\n\n");
        md.append("| arm | goodput / physical limit | 429s seen by clients | p50 ms | p99 ms | failed requests | "
                + "upstream max concurrency |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode arm : section.path("arms")) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %d | %.0f | %.0f | %d of %d | %s |%n",
                    arm.path("arm").asText(), arm.path("goodput_ratio_of_physical_limit").asDouble(),
                    arm.path("client_429s_seen").asLong(), arm.at("/latency_ms/p50").asDouble(),
                    arm.at("/latency_ms/p99").asDouble(), arm.path("failed_requests").asLong(),
                    arm.at("/requests/sent").asLong(), arm.path("upstream_max_concurrency").toString()));
        }
        md.append('\n');
    }

    private static void jmh(StringBuilder md, JsonNode section) {
        md.append("## Microbenchmarks (JMH, short run)\n\n");
        if (section.has("skipped")) {
            md.append("Skipped: ").append(section.path("skipped").asText()).append(".\n");
            return;
        }
        md.append("Short runs (1 warm-up and 3 measured one-second iterations, one fork): the error column is JMH's "
                + "99.9 % confidence half-width and is wide on this machine.\n\n");
        md.append("| benchmark | params | mode | threads | score | error | unit |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode row : section.path("results")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f | %s |%n",
                    row.path("benchmark").asText().replace("dev.xigate.bench.", ""),
                    row.path("params").asText().replace("|", "/"), row.path("mode").asText(),
                    row.path("threads").asInt(),
                    row.path("score").asDouble(), row.path("score_error").asDouble(), row.path("unit").asText()));
        }
    }
}
