package dev.xigate.gateway.admin;

import dev.xigate.cache.CacheDirective;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.dashboard.DashboardPage;
import dev.xigate.dashboard.DashboardSampler;
import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.auth.Priority;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.proxy.AdmissionStep;
import dev.xigate.gateway.proxy.ExchangeListener;
import dev.xigate.gateway.proxy.ExchangeRecord;
import dev.xigate.gateway.proxy.ProxyHandler;
import dev.xigate.gateway.resilience.ResilienceStep;
import dev.xigate.health.HealthAggregator;
import dev.xigate.health.HealthCheck;
import dev.xigate.health.HealthChecks;
import dev.xigate.limit.Limiter;
import dev.xigate.metrics.AccessLogEntry;
import dev.xigate.metrics.AudioDurations;
import dev.xigate.metrics.LimiterMetrics;
import dev.xigate.metrics.MicrometerGatewayMetrics;
import dev.xigate.metrics.QuotaPoller;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import dev.xigate.retry.RetryListener;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires metrics, health, the dashboard and the JSON access log into a gateway being built.
 *
 * <p>{@link #install} registers on the admin port {@code GET /metrics} (Prometheus text, or OpenMetrics when asked),
 * {@code GET /health/ready}, {@code GET /dashboard} and {@code GET /dashboard/snapshot}; binds the limiter's pools to
 * the meters; starts the quota poller; and replaces the gateway's plain access line by one JSON line per request
 * on the {@code xigate.access} logger. {@link #close()} stops the poller and the health executor. Thread-safe once
 * installed.
 */
public final class Observability implements AutoCloseable, ExchangeListener {
    /** The metrics path. */
    public static final String METRICS_PATH = "/metrics";
    /** The readiness path. */
    public static final String READY_PATH = "/health/ready";
    /** The dashboard page path; its snapshot is at this path plus {@link DashboardPage#SNAPSHOT_SUFFIX}. */
    public static final String DASHBOARD_PATH = "/dashboard";
    /** How often the subscription is polled by default. */
    public static final Duration DEFAULT_QUOTA_INTERVAL = Duration.ofMinutes(1);
    /** The queue depth at which a pool's health check turns degraded: the seed's critical alert level. */
    public static final int QUEUE_ALERT_LEVEL = 500;
    /** How long a breaker may stay open before readiness fails: the seed's critical alert window. */
    public static final Duration BREAKER_ALERT_WINDOW = Duration.ofMinutes(1);

    private static final Logger ACCESS = LoggerFactory.getLogger(AccessLogEntry.LOGGER_NAME);
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    private static final Set<String> EXPECTED_OUTCOMES = Set.of("ok", "upstream_status");

    private final PrometheusMeterRegistry registry;
    private final MicrometerGatewayMetrics metrics;
    private final QuotaPoller quotaPoller;
    private final DashboardSampler dashboard;
    private final ResilienceMetrics resilience;
    private final InstantSource clock;
    // Replaced (before the gateway starts) when breakers are bound; read by the readiness route.
    private volatile List<HealthCheck> checks;
    private volatile HealthAggregator health;

    private Observability(PrometheusMeterRegistry registry, MicrometerGatewayMetrics metrics, QuotaPoller quotaPoller,
            List<HealthCheck> checks, InstantSource clock) {
        this.registry = registry;
        this.metrics = metrics;
        this.quotaPoller = quotaPoller;
        this.clock = clock;
        this.checks = List.copyOf(checks);
        this.health = new HealthAggregator(this.checks, HEALTH_TIMEOUT, clock);
        this.dashboard = new DashboardSampler(registry, clock, Duration.ofSeconds(1));
        this.resilience = new ResilienceMetrics(metrics, clock);
    }

    /**
     * Installs metrics, health, dashboard and access log into the builder, and starts polling the quota.
     *
     * @param builder the gateway being built (its plain access log is turned off)
     * @param config the validated configuration the gateway is built from
     * @param limiter the limiter given to the builder
     * @param apiKey the upstream key (sent only to the upstream's subscription endpoint)
     * @param quotaInterval how often to poll the subscription
     * @param extraChecks further readiness checks (circuit breakers, Redis)
     */
    public static Observability install(Gateway.Builder builder, GatewayConfig config, Limiter limiter,
            String apiKey, Duration quotaInterval, List<HealthCheck> extraChecks) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(apiKey, "apiKey");
        InstantSource clock = InstantSource.system();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
        Set<ModelFamily> families = LimiterFactory.limiterConfig(config).pools().keySet();
        LimiterMetrics.bind(limiter, families, Priority.LEVELS, metrics);

        HttpClient http = HttpClient.newBuilder().connectTimeout(config.upstream().connectTimeout()).build();
        QuotaPoller quota = new QuotaPoller(http, URI.create(config.upstream().url()), () -> apiKey,
                config.upstream().connectTimeout().plusSeconds(10), clock, metrics::recordQuota);
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthChecks.upstream(quota::latest, quotaInterval.multipliedBy(3), clock));
        checks.addAll(LimiterMetrics.queueChecks(limiter, families, QUEUE_ALERT_LEVEL));
        checks.addAll(extraChecks);
        Observability observability = new Observability(registry, metrics, quota, checks, clock);

        builder.accessLog(false).addListener(observability);
        builder.adminRoutes()
                .get(METRICS_PATH, observability::serveMetrics)
                .get(READY_PATH, observability::serveReady)
                .get(DASHBOARD_PATH, (req, res) -> send(res, 200, DashboardPage.CONTENT_TYPE, DashboardPage.html()))
                .get(DASHBOARD_PATH + DashboardPage.SNAPSHOT_SUFFIX, (req, res) -> send(res, 200,
                        "application/json", observability.dashboard.sample().toJson()));
        quota.start(quotaInterval);
        return observability;
    }

    /** Returns the listener to give the resilience stage: it counts and logs retries and fallbacks. */
    public RetryListener retryListener() {
        return resilience;
    }

    /**
     * Exposes the breakers: a state gauge per family, transitions logged, and readiness failing for a family whose
     * breaker stays open longer than {@link #BREAKER_ALERT_WINDOW}. Call before the gateway starts.
     */
    public synchronized void bindBreakers(FamilyCircuitBreakers breakers) {
        List<HealthCheck> all = new ArrayList<>(checks);
        all.addAll(resilience.bind(breakers, BREAKER_ALERT_WINDOW));
        HealthAggregator previous = health;
        checks = List.copyOf(all);
        health = new HealthAggregator(checks, HEALTH_TIMEOUT, clock);
        previous.close();
    }

    /** Returns the recorder, for parts that report retries, fallbacks and breakers. */
    public MicrometerGatewayMetrics metrics() {
        return metrics;
    }

    /** Returns the registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void onExchange(ExchangeRecord exchange) {
        RequestOutcome outcome = toOutcome(exchange);
        metrics.recordRequest(outcome);
        if (ACCESS.isInfoEnabled()) {
            AccessLogEntry.fill(ACCESS.atInfo(), outcome).log();
        }
    }

    @Override
    public void close() {
        quotaPoller.close();
        health.close();
        metrics.close();
    }

    static RequestOutcome toOutcome(ExchangeRecord exchange) {
        ModelFamily family = "-".equals(exchange.family()) ? null : ModelFamily.fromLabel(exchange.family());
        // A client that left before any status gets nginx's 499: counted, but not as the gateway's failure.
        int status = exchange.status() == 0 ? 499 : exchange.status();
        String errorType = status < 400 && EXPECTED_OUTCOMES.contains(exchange.outcome()) ? null
                : errorType(exchange, status);
        if (errorType == null && CacheDirective.FALLBACK.equals(exchange.stageHeaders().get(CacheDirective.HEADER))) {
            errorType = "upstream_failed";
        }
        long firstByteNanos = exchange.timeToFirstByte() == null ? -1 : exchange.timeToFirstByte().toNanos();
        return new RequestOutcome(exchange.requestId(), exchange.userId(), exchange.client(), exchange.endpoint(),
                exchange.modelId(), family, exchange.priority() < 0 ? "none"
                        : LimiterMetrics.priorityLabel(exchange.priority(), Priority.LEVELS),
                status, attempts(exchange), exchange.queueWait().toNanos(), exchange.duration().toNanos(),
                firstByteNanos, exchange.characters(), audioSeconds(exchange), errorType, cacheResult(exchange));
    }

    private static double audioSeconds(ExchangeRecord exchange) {
        String format = exchange.stageHeaders().get(ProxyHandler.OUTPUT_FORMAT_NOTE);
        return format == null ? 0 : AudioDurations.seconds(format, exchange.bytesSent());
    }

    private static RequestOutcome.CacheResult cacheResult(ExchangeRecord exchange) {
        String cache = exchange.stageHeaders().get(CacheDirective.HEADER);
        if (cache == null) {
            return RequestOutcome.CacheResult.BYPASS;
        }
        return switch (cache) {
            case CacheDirective.HIT -> RequestOutcome.CacheResult.HIT;
            case CacheDirective.MISS -> RequestOutcome.CacheResult.MISS;
            case CacheDirective.FALLBACK -> RequestOutcome.CacheResult.FALLBACK;
            default -> RequestOutcome.CacheResult.BYPASS;
        };
    }

    private static String errorType(ExchangeRecord exchange, int status) {
        String rejectReason = exchange.stageHeaders().get(AdmissionStep.REJECT_REASON_HEADER);
        if (rejectReason != null) {
            return rejectReason;
        }
        if ("upstream_status".equals(exchange.outcome())) {
            return "upstream_" + status;
        }
        return exchange.outcome();
    }

    private static int attempts(ExchangeRecord exchange) {
        String attempts = exchange.stageHeaders().get(ResilienceStep.ATTEMPTS_HEADER);
        if (attempts != null) {
            try {
                return Integer.parseInt(attempts);
            } catch (NumberFormatException ignored) {
                // A stage wrote something else: fall back to what the record shows.
            }
        }
        // Without the resilience stage there is one attempt exactly when the upstream answered.
        return EXPECTED_OUTCOMES.contains(exchange.outcome()) ? 1 : 0;
    }

    private void serveMetrics(ServerRequest req, ServerResponse res) {
        String accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
        String contentType = accept.contains("application/openmetrics-text") ? OPEN_METRICS : PROMETHEUS_TEXT;
        send(res, 200, contentType, registry.scrape(contentType));
    }

    private void serveReady(ServerRequest req, ServerResponse res) {
        var report = health.ready();
        send(res, report.httpStatus(), "application/json", report.toJson());
    }

    private static void send(ServerResponse res, int status, String contentType, String body) {
        res.status(status);
        res.header("Content-Type", contentType);
        res.header("Cache-Control", "no-store");
        res.send(body);
    }
}
