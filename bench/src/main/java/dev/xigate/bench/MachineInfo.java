package dev.xigate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Describes the machine a benchmark ran on: cores, CPU model, JDK, date and load average. */
final class MachineInfo {
    private MachineInfo() {
    }

    /** Fills the node with the machine's description. */
    static ObjectNode describe(ObjectNode node) {
        node.put("date", Instant.now().toString());
        node.put("cores", Runtime.getRuntime().availableProcessors());
        node.put("cpuModel", cpuModel());
        node.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        node.put("loadAverage1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        node.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        return node;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException ignored) {
            // Not Linux: the model stays unknown rather than failing the run.
            return "unknown";
        }
    }
}
