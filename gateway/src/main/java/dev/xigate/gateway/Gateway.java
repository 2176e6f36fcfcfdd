package dev.xigate.gateway;

import dev.xigate.gateway.admin.AdminRoutes;
import dev.xigate.gateway.auth.ClientRegistry;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.proxy.AccessLog;
import dev.xigate.gateway.proxy.AdmissionStep;
import dev.xigate.gateway.proxy.DrainGate;
import dev.xigate.gateway.proxy.ExchangeListener;
import dev.xigate.gateway.proxy.ProxyHandler;
import dev.xigate.gateway.proxy.RouteTable;
import dev.xigate.gateway.upstream.Http1UpstreamCall;
import dev.xigate.gateway.upstream.HttpUpstreamCall;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.ws.StreamInputProxy;
import dev.xigate.limit.Limiter;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and runs the gateway: the proxy port (ElevenLabs paths, HTTP and WebSocket) and the admin port.
 *
 * <p>Usage:
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder(config).limiter(limiter).apiKey(key).start()) {
 *     int port = gateway.port();
 * }
 * }</pre>
 * {@link #close()} shuts down gracefully: new requests get 503, queued ones are rejected with 503, in-flight
 * ones may finish until {@code server.shutdown-timeout}. Thread-safe.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final SocketOptions NO_DELAY = SocketOptions.builder().tcpNoDelay(true).build();

    private final WebServer proxyServer;
    private final WebServer adminServer;
    private final Limiter limiter;
    private final DrainGate drainGate;
    private final Duration shutdownTimeout;
    private final Http1UpstreamCall ownedUpstream;
    private boolean closed;

    private Gateway(WebServer proxyServer, WebServer adminServer, Limiter limiter, DrainGate drainGate,
            Duration shutdownTimeout, Http1UpstreamCall ownedUpstream) {
        this.proxyServer = proxyServer;
        this.adminServer = adminServer;
        this.limiter = limiter;
        this.drainGate = drainGate;
        this.shutdownTimeout = shutdownTimeout;
        this.ownedUpstream = ownedUpstream;
    }

    /** Returns a builder for a gateway with this (validated) configuration. */
    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    /** Returns the proxy port actually bound. */
    public int port() {
        return proxyServer.port();
    }

    /** Returns the admin port actually bound. */
    public int adminPort() {
        return adminServer.port();
    }

    /** Returns the number of requests (and WebSocket connections) in the gateway right now. */
    public int inFlight() {
        return drainGate.inFlight();
    }

    /**
     * Shuts down gracefully: refuses new requests, rejects queued ones, waits for in-flight ones up to the
     * configured deadline, then stops both listeners. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        drainGate.startDraining();
        limiter.close();
        boolean idle;
        try {
            idle = drainGate.awaitIdle(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            LOG.warn("- Shutdown deadline passed with requests in flight inFlight={} deadlineMs={}",
                    drainGate.inFlight(), shutdownTimeout.toMillis());
        }
        proxyServer.stop();
        adminServer.stop();
        if (ownedUpstream != null) {
            ownedUpstream.close();
        }
    }

    /** Collects the gateway's parts; {@link #start()} binds the ports. Not thread-safe. */
    public static final class Builder {
        private final GatewayConfig config;
        private final List<UpstreamInterceptor> beforeAdmission = new ArrayList<>();
        private final List<UpstreamInterceptor> afterAdmission = new ArrayList<>();
        private final List<ExchangeListener> listeners = new ArrayList<>();
        private final AdminRoutes adminRoutes = new AdminRoutes();
        private Limiter limiter;
        private String apiKey;
        private UpstreamCall upstream;
        private Http1UpstreamCall ownedUpstream;
        private LongSupplier nanoClock = System::nanoTime;
        private Duration probeInterval = Duration.ofMillis(50);
        private boolean accessLog = true;
        private RouteTable routes = RouteTable.standard();

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Sets the limiter (required); the gateway closes it at shutdown. */
        public Builder limiter(Limiter value) {
            this.limiter = Objects.requireNonNull(value, "limiter");
            return this;
        }

        /** Sets the ElevenLabs key sent upstream (required). */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /** Replaces the HTTP upstream call (default: JDK HttpClient to {@code upstream.url}). */
        public Builder upstream(UpstreamCall value) {
            this.upstream = Objects.requireNonNull(value, "upstream");
            return this;
        }

        /** Adds a stage that runs before a permit is taken (cache, coalescing); the first added runs first. */
        public Builder addBeforeAdmission(UpstreamInterceptor interceptor) {
            beforeAdmission.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Adds a stage that runs while the permit is held (retry, circuit breaker); the first added runs first. */
        public Builder addAfterAdmission(UpstreamInterceptor interceptor) {
            afterAdmission.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Adds a receiver of one record per finished request (metrics, JSON access log). */
        public Builder addListener(ExchangeListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Sets whether the built-in plain access log line is written (default true). */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        /** Returns the admin routes, to register {@code /metrics}, {@code /health/ready}, ... before start. */
        public AdminRoutes adminRoutes() {
            return adminRoutes;
        }

        /** Sets the monotonic clock durations are measured with (default {@code System::nanoTime}). */
        public Builder nanoClock(LongSupplier value) {
            this.nanoClock = Objects.requireNonNull(value, "nanoClock");
            return this;
        }

        /** Sets how often queued requests check that their client is still connected (default 50 ms). */
        public Builder probeInterval(Duration value) {
            this.probeInterval = Objects.requireNonNull(value, "probeInterval");
            return this;
        }

        /** Replaces the allowlist (default {@link RouteTable#standard()}). */
        public Builder routes(RouteTable value) {
            this.routes = Objects.requireNonNull(value, "routes");
            return this;
        }

        /**
         * Starts both listeners.
         *
         * @throws IllegalStateException if no client keys are configured and the bind address is not loopback,
         *     or a required part is missing
         */
        public Gateway start() {
            if (limiter == null) {
                throw new IllegalStateException("cannot start gateway: no limiter set");
            }
            if (apiKey == null) {
                throw new IllegalStateException("cannot start gateway: no ElevenLabs API key"
                        + " (set ELEVENLABS_API_KEY or upstream.api-key-file)");
            }
            ClientRegistry clients = ClientRegistry.of(config.clients());
            checkOpenAccess(clients);
            DrainGate drainGate = new DrainGate();
            UpstreamCall call = upstream != null ? upstream : defaultUpstream();
            for (int i = afterAdmission.size() - 1; i >= 0; i--) {
                call = afterAdmission.get(i).wrap(call);
            }
            call = new AdmissionStep(limiter, config.upstream().maxRequeues(), probeInterval, nanoClock)
                    .wrap(call);
            for (int i = beforeAdmission.size() - 1; i >= 0; i--) {
                call = beforeAdmission.get(i).wrap(call);
            }
            List<ExchangeListener> allListeners = new ArrayList<>(listeners);
            if (accessLog) {
                allListeners.add(new AccessLog());
            }
            ProxyHandler handler = new ProxyHandler(routes, clients, call, drainGate,
                    config.server().maxBodyBytes(), allListeners, nanoClock);
            StreamInputProxy streamInput = new StreamInputProxy(clients, limiter, drainGate,
                    config.upstream().url(), apiKey, config.limits().queueTimeout());
            String bind = config.server().bind();
            WebServer proxy = WebServer.builder()
                    .host(bind)
                    .port(config.server().port())
                    .shutdownHook(false)
                    .maxPayloadSize(-1)
                    // A proxy forwards each chunk as it arrives: Nagle would hold small writes until the client's
                    // delayed ACK, adding about 40 ms to every answer on a kept-alive connection.
                    .connectionOptions(NO_DELAY)
                    .addRouting(WsRouting.builder().endpoint(StreamInputProxy.pattern(), streamInput.listeners()))
                    .routing(routing -> routing.addFilter(streamInput.upgradeFilter()).any(handler))
                    .build();
            WebServer admin = WebServer.builder()
                    .host(bind)
                    .port(config.server().adminPort())
                    .shutdownHook(false)
                    .connectionOptions(NO_DELAY)
                    .routing(adminRoutes::applyTo)
                    .build();
            proxy.start();
            try {
                admin.start();
            } catch (RuntimeException e) {
                proxy.stop();
                throw e;
            }
            return new Gateway(proxy, admin, limiter, drainGate, config.server().shutdownTimeout(),
                    ownedUpstream);
        }

        private UpstreamCall defaultUpstream() {
            UpstreamSettings settings = config.upstream();
            if (UpstreamSettings.JDK_CLIENT.equals(settings.httpClient())) {
                return HttpUpstreamCall.create(settings.url(), apiKey, settings.connectTimeout(),
                        settings.responseTimeout());
            }
            Http1UpstreamCall http1 = Http1UpstreamCall.create(settings.url(), apiKey, settings.connectTimeout(),
                    settings.responseTimeout());
            ownedUpstream = http1;
            return http1;
        }

        private void checkOpenAccess(ClientRegistry clients) {
            if (!clients.isOpen()) {
                return;
            }
            if (!isLoopback(config.server().bind())) {
                throw new IllegalStateException("cannot start gateway: no client keys configured and server.bind "
                        + config.server().bind() + " is not loopback (add clients, or bind 127.0.0.1)");
            }
            LOG.warn("- No client keys configured: accepting any key on loopback only bind={}",
                    config.server().bind());
        }

        private static boolean isLoopback(String bind) {
            try {
                return InetAddress.getByName(bind).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
