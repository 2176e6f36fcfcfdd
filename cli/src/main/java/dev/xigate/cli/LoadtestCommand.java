package dev.xigate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code xigate loadtest} command. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, description = "Runs a load, concurrency or chaos test.")
final class LoadtestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("cannot run loadtest: not built yet (see the open issues)");
    }
}
