package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Finds external tools on PATH; a missing tool skips the test, or fails it when {@code CI=true}. */
final class ExternalTools {
    private ExternalTools() {
    }

    static String require(String tool, String why) {
        Optional<String> found = find(tool);
        if (found.isPresent()) {
            return found.get();
        }
        String reason = tool + " not found on PATH (" + why + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        return null;
    }

    static Optional<String> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, tool);
            if (candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
