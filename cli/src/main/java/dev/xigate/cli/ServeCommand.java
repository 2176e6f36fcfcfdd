package dev.xigate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code xigate serve} command. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the gateway.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("cannot run serve: not built yet (see the open issues)");
    }
}
