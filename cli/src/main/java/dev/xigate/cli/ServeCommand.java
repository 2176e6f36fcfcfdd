package dev.xigate.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.admin.Observability;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ApiKeySource;
import dev.xigate.gateway.config.ConfigLoader;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.resilience.Resilience;
import dev.xigate.gateway.resilience.ResilienceSettingsReader;
import dev.xigate.limit.Limiter;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code xigate serve} command: runs the gateway until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the gateway: the ElevenLabs API on the proxy port, health and metrics on the admin port.",
            "Flags override the config file; without a file, the embedded defaults apply."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** The key the gateway sends to an in-process simulator (which accepts any key). */
    private static final String SIMULATED_KEY = "simulated-upstream-key";

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    private Path configFile;

    @Option(names = "--port", description = "Proxy port (default 8080; 0 picks a free port).")
    private Integer port;

    @Option(names = "--admin-port", description = "Admin port (default 9090; 0 picks a free port).")
    private Integer adminPort;

    @Option(names = "--bind", description = "Address both ports bind to (default 127.0.0.1).")
    private String bind;

    @Option(names = "--upstream", paramLabel = "URL", description = "ElevenLabs API base URL.")
    private String upstreamUrl;

    @Option(names = "--plan", paramLabel = "TIER", description = "Plan tier: free, starter, creator, pro, scale,"
            + " business, enterprise (default pro).")
    private String plan;

    @Option(names = "--simulate", description = "Start the simulator in this process and use it as the upstream;"
            + " needs no key and no config.")
    private boolean simulate;

    @Option(names = "--quota-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "How often to poll the account's subscription for quota and key status (default 60).")
    private int quotaIntervalSeconds;

    private Duration quotaInterval = Duration.ofSeconds(60);

    @Option(names = "--hash-key", paramLabel = "KEY", description = "Print the SHA-256 to put in clients[].key-sha256"
            + " for this client key and exit ('-' reads the key from standard input).")
    private String hashKey;

    @Override
    public Integer call() throws Exception {
        if (hashKey != null) {
            spec.commandLine().getOut().println(KeyHashes.sha256Hex(readKey(hashKey)));
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long startNanos = System.nanoTime();
            LOG.info("- Shutting down, letting in-flight requests finish");
            try {
                running.close();
                LOG.info("- Gateway stopped tookMs={}", (System.nanoTime() - startNanos) / 1_000_000);
            } finally {
                stopped.countDown();
                // Last, so that the drain's own lines (access log of the requests that finish) are written.
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
                    logging.stop();
                }
            }
        }, "xigate-shutdown"));
        stopped.await();
        return 0;
    }

    /** Returns the running gateway (and simulator) built from the file and the flags. */
    Running start() {
        if (quotaIntervalSeconds < 1) {
            throw new IllegalArgumentException("--quota-interval: " + quotaIntervalSeconds + " (expected: >= 1)");
        }
        quotaInterval = Duration.ofSeconds(quotaIntervalSeconds);
        GatewayConfig config = ConfigLoader.validate(applyFlags(configFile == null
                ? GatewayConfig.ofDefaults() : ConfigLoader.load(configFile)));
        Simulator simulator = null;
        String apiKey;
        if (simulate) {
            PlanTier tier = PlanTier.fromLabel(config.plan());
            simulator = Simulator.start(SimulatorConfig.builder().plan(tier).host("127.0.0.1").port(0).build());
            LOG.warn("- UPSTREAM IS SIMULATED: requests go to the in-process xigate simulator, not to ElevenLabs"
                    + " simulator={} plan={}", simulator.baseUri(), tier.label());
            config = config.withUpstream(config.upstream().withUrl(simulator.baseUri().toString()));
            apiKey = SIMULATED_KEY;
        } else {
            String keyEnv = config.upstream().apiKeyEnv();
            apiKey = ApiKeySource.resolve(config.upstream(), System::getenv).orElseThrow(() ->
                    new IllegalStateException("cannot start gateway: no ElevenLabs API key (set " + keyEnv
                            + " or upstream.api-key-file, or use --simulate)"));
        }
        Observability observability = null;
        Resilience resilience = null;
        try {
            Limiter limiter = LimiterFactory.inMemory(config);
            Gateway.Builder builder = Gateway.builder(config).limiter(limiter).apiKey(apiKey);
            observability = Observability.install(builder, config, limiter, apiKey, quotaInterval, List.of());
            resilience = Resilience.install(builder, ResilienceSettingsReader.read(config.resilience()), limiter,
                    Clock.systemUTC(), System::nanoTime, observability.retryListener());
            observability.bindBreakers(resilience.breakers());
            Gateway gateway = builder.start();
            LOG.info("- Gateway listening bind={} port={} adminPort={} upstream={} plan={} clients={}",
                    config.server().bind(), gateway.port(), gateway.adminPort(), config.upstream().url(),
                    config.plan(), config.clients().size());
            return new Running(gateway, simulator, resilience, observability);
        } catch (RuntimeException e) {
            if (resilience != null) {
                resilience.close();
            }
            if (observability != null) {
                observability.close();
            }
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    private GatewayConfig applyFlags(GatewayConfig config) {
        ServerSettings server = config.server();
        if (bind != null) {
            server = server.withBind(bind);
        }
        if (port != null) {
            server = server.withPort(port);
        }
        if (adminPort != null) {
            server = server.withAdminPort(adminPort);
        }
        UpstreamSettings upstream = config.upstream();
        if (upstreamUrl != null) {
            upstream = upstream.withUrl(upstreamUrl);
        }
        GatewayConfig result = config.withServer(server).withUpstream(upstream);
        return plan == null ? result : result.withPlan(plan);
    }

    private static String readKey(String argument) throws IOException {
        if (!"-".equals(argument)) {
            return argument;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("--hash-key: empty standard input (expected: the key on one line)");
        }
        return line.strip();
    }

    /** A running gateway and, with {@code --simulate}, its simulator; closing stops both, gateway first. */
    record Running(Gateway gateway, Simulator simulator, Resilience resilience, Observability observability)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                gateway.close();
            } finally {
                resilience.close();
                observability.close();
                if (simulator != null) {
                    simulator.close();
                }
            }
        }
    }
}
