package dev.xigate.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The machine a benchmark ran on, as stored next to its results: cores, CPU model, memory, JDK, date and load.
 *
 * @param cores processors available to the JVM
 * @param cpuModel the {@code model name} of /proc/cpuinfo, or "unknown"
 * @param memoryTotalKb MemTotal of /proc/meminfo, or 0
 * @param jdk the JDK's version and VM name
 * @param os the operating system and kernel
 * @param date when it was read (UTC)
 * @param loadAverage the 1, 5 and 15 minute load averages of /proc/loadavg
 */
public record MachineInfo(int cores, String cpuModel, long memoryTotalKb, String jdk, String os, String date,
        String loadAverage) {

    /** Returns the machine this JVM runs on, now. */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown"),
                firstValue(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.split("\\s+")[0]))
                        .orElse(0L),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), currentLoadAverage());
    }

    /** Returns the current load averages ("1m 5m 15m"), or "unknown". */
    public static String currentLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static Optional<String> firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    return Optional.of(line.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
