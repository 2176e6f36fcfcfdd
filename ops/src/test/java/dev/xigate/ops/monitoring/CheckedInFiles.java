package dev.xigate.ops.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root, where monitoring/ and docs/ are checked in. */
final class CheckedInFiles {
    private CheckedInFiles() {
    }

    /** Returns the repository root: $XIGATE_ROOT (set by the build), else the first parent holding monitoring/. */
    static Path root() {
        String fromBuild = System.getenv("XIGATE_ROOT");
        if (fromBuild != null && Files.isDirectory(Path.of(fromBuild, "monitoring"))) {
            return Path.of(fromBuild);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("monitoring")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root: no parent of the working directory "
                + "holds monitoring/");
    }
}
