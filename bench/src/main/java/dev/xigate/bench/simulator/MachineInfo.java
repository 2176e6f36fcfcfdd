package dev.xigate.bench.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Returns what a benchmark result must say about the machine it ran on. */
final class MachineInfo {
    private MachineInfo() {
    }

    static ObjectNode collect(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("date", Instant.now().toString());
        node.put("cores", Runtime.getRuntime().availableProcessors());
        node.put("cpu_model", cpuModel());
        node.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        node.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        node.put("load_average", loadAverage());
        return node;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
