package dev.xigate.gateway.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finds the external programs the end-to-end tests drive; skips without them, unless CI=true (then fails). */
final class ExternalTools {
    private ExternalTools() {
    }

    /** Returns the first of the names found on PATH, or skips/fails the test. */
    static Path require(String debianPackage, String... names) {
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String reason = List.of(names) + " not found on PATH (install the Debian package " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** Returns a loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
