package dev.xigate.simulator;

import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.internal.HttpApi;
import dev.xigate.simulator.internal.SimulatorEngine;
import dev.xigate.simulator.internal.TransportErrors;
import dev.xigate.simulator.internal.TtsWebSocket;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates a running ElevenLabs-compatible API on a local port: the {@code /v1/...} endpoints with the plan's
 * concurrency limits, realistic latency, valid audio, a credit quota and chaos controls, plus {@code /_sim/stats},
 * {@code /_sim/chaos}, {@code /_sim/reset} and {@code /_sim/hold}. Thread-safe.
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO).port(0).build())) {
 *     URI base = sim.baseUri();                      // http://127.0.0.1:<port>
 *     sim.failNext(FaultKind.SYSTEM_BUSY, 1);        // next generation request gets 429 system_busy
 *     ... send requests with any non-empty xi-api-key ...
 *     assertThat(sim.stats().family(ModelFamily.MULTILINGUAL).maxConcurrency()).isLessThanOrEqualTo(10);
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    /** A voice id the simulator knows (Rachel, premade); any other unknown id gets 400 voice_not_found. */
    public static final String DEFAULT_VOICE_ID = "21m00Tcm4TlvDq8ikWAM";

    private final SimulatorEngine engine;
    private final WebServer server;

    private Simulator(SimulatorEngine engine, WebServer server) {
        this.engine = engine;
        this.server = server;
    }

    /**
     * Creates and starts a simulator; returns once it accepts connections.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static Simulator start(SimulatorConfig config) {
        Objects.requireNonNull(config, "config");
        SimulatorEngine engine = new SimulatorEngine(config);
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .backlog(4_096)
                // Nagle would hold each paced chunk until the client's delayed ACK (about 40 ms on loopback).
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .directHandlers(TransportErrors.all())
                .routing(HttpApi.routing(engine))
                .addRouting(WsRouting.builder().endpoint(TtsWebSocket.PATH, () -> new TtsWebSocket(engine)))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start simulator on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        // Helidon reports a failed bind by logging and leaving the server stopped, not by throwing.
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            throw new IllegalStateException("cannot start simulator on " + config.host() + ":" + config.port()
                    + ": the address is in use or cannot be bound");
        }
        return new Simulator(engine, server);
    }

    /** Returns the port the simulator listens on. */
    public int port() {
        return server.port();
    }

    /** Returns the base URL to give a client, for example {@code http://127.0.0.1:8090}. */
    public URI baseUri() {
        String host = engine.config().host();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + shown + ":" + port());
    }

    /** Returns the configuration the simulator was started with. */
    public SimulatorConfig config() {
        return engine.config();
    }

    /** Returns the concurrency limit in effect for a family (chaos override, configured override, or plan). */
    public int limit(ModelFamily family) {
        return engine.limit(family);
    }

    /** Returns the statistics since start or the last {@link #resetStats()}. */
    public SimulatorStats stats() {
        return engine.stats();
    }

    /** Zeroes the statistics and the credits used by every key (same as {@code POST /_sim/reset}). */
    public void resetStats() {
        engine.reset();
    }

    /** Returns the chaos in effect. */
    public ChaosConfig chaos() {
        return engine.chaos();
    }

    /** Replaces the chaos in effect; requests already running keep the chaos they started with. */
    public void chaos(ChaosConfig chaos) {
        engine.chaos(Objects.requireNonNull(chaos, "chaos"));
    }

    /**
     * Makes the next {@code count} generation requests to which the kind applies fail with it (stream faults apply
     * to audio answers only), before any random fault is drawn.
     *
     * @throws IllegalArgumentException if count is negative
     */
    public void failNext(FaultKind kind, int count) {
        engine.failNext(Objects.requireNonNull(kind, "kind"), count);
    }

    /**
     * Creates a hold of {@code slots} concurrency slots of a family for a key, as if another client used them;
     * requests of that key then hit the limit sooner. The slots are taken even beyond the limit.
     *
     * @throws IllegalArgumentException if slots is below 1
     */
    public SlotHold holdSlots(String apiKey, ModelFamily family, int slots) {
        return engine.hold(Objects.requireNonNull(apiKey, "apiKey"), Objects.requireNonNull(family, "family"), slots);
    }

    /** Stops the server; running requests are cut. Closing twice is harmless. */
    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
