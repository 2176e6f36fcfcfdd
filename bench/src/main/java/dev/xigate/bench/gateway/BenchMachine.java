package dev.xigate.bench.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Describes the machine a benchmark ran on: cores, CPU model, JDK, date and load average. */
final class BenchMachine {
    private BenchMachine() {
    }

    /** Returns the description as a JSON object. */
    static ObjectNode describe() {
        ObjectNode machine = JsonNodeFactory.instance.objectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", cpuModel());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("date", Instant.now().toString());
        machine.put("loadAverage", read("/proc/loadavg"));
        machine.put("note", "shared, noisy 2-core machine: other builds and benchmarks ran at the same time");
        return machine;
    }

    /** Returns the one-minute load average now. */
    static String loadAverage() {
        return read("/proc/loadavg");
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
