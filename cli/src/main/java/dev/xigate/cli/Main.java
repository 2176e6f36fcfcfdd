package dev.xigate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code xigate} command: one entry point for the gateway, the simulator, the load test tool and the operations
 * commands.
 */
@Command(
        name = "xigate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Production gateway and toolkit for the ElevenLabs API.",
        subcommands = {
            ServeCommand.class,
            SimulateCommand.class,
            LoadtestCommand.class,
            SetupMonitoringCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        JvmTuning.apply();
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status, without exiting (used by tests). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new CliErrorHandler());
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
