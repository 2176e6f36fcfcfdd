package dev.xigate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code xigate simulate} command. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Runs the ElevenLabs API simulator.")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("cannot run simulate: not built yet (see the open issues)");
    }
}
