package dev.xigate.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import dev.xigate.metrics.AccessLogEntry;
import dev.xigate.metrics.GatewayMetrics;
import dev.xigate.metrics.MicrometerGatewayMetrics;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures what metrics and the access log add to one request on the hot path: building the outcome, recording it in
 * the Prometheus-backed meters, and filling and dispatching the access log event to an appender that writes nothing
 * (the encoding and the write itself are excluded, as they happen on the appender's side).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MetricsOverheadBenchmark {
    private static final String[] CLIENTS = {"web", "mobile", "batch", "support"};
    private static final String[] PRIORITIES = {"high", "normal", "low"};

    private PrometheusMeterRegistry registry;
    private MicrometerGatewayMetrics metrics;
    private GatewayMetrics noop;
    private LoggerContext logContext;
    private Logger accessLog;
    private long sequence;

    /** Creates the registry, the meters (warmed with every label combination used) and the access logger. */
    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new MicrometerGatewayMetrics(registry);
        noop = GatewayMetrics.noop();
        logContext = new LoggerContext();
        logContext.setMDCAdapter(new LogbackMDCAdapter());
        DiscardingAppender appender = new DiscardingAppender();
        appender.setContext(logContext);
        appender.start();
        accessLog = logContext.getLogger(AccessLogEntry.LOGGER_NAME);
        accessLog.setLevel(Level.INFO);
        accessLog.setAdditive(false);
        accessLog.addAppender(appender);
    }

    /** Stops the logger context and the JVM meters. */
    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void tearDown() {
        metrics.close();
        logContext.stop();
    }

    private RequestOutcome nextOutcome() {
        long n = sequence++;
        int status = n % 20 == 0 ? 503 : 200;
        return new RequestOutcome("req-" + n, "user-" + (n & 1023), CLIENTS[(int) (n & 3)], "tts",
                "eleven_flash_v2_5", ModelFamily.TURBO_FLASH, PRIORITIES[(int) (n % 3)], status, 1,
                1_500_000L + n % 1000, 650_000_000L + (n % 97) * 10_000_000L, 120_000_000L, 140, 8.2,
                status == 503 ? "upstream_5xx" : null, RequestOutcome.CacheResult.MISS);
    }

    /** Returns the baseline: only building the outcome record (the request path builds it anyway). */
    @Benchmark
    public RequestOutcome buildOutcomeOnly() {
        return nextOutcome();
    }

    /** Returns after recording into the no-op recorder: the cost when metrics are off. */
    @Benchmark
    public RequestOutcome recordNoop() {
        RequestOutcome outcome = nextOutcome();
        noop.recordRequest(outcome);
        return outcome;
    }

    /** Returns after recording one request into the Prometheus meters (counters, histograms, cache counter). */
    @Benchmark
    public RequestOutcome recordMetrics() {
        RequestOutcome outcome = nextOutcome();
        metrics.recordRequest(outcome);
        metrics.recordQueueWait(outcome.family(), outcome.priority(), outcome.queueWaitNanos());
        return outcome;
    }

    /** Returns after filling and dispatching the access log event, without encoding or writing it. */
    @Benchmark
    public RequestOutcome accessLogEvent() {
        RequestOutcome outcome = nextOutcome();
        AccessLogEntry.fill(accessLog.atInfo(), outcome).log();
        return outcome;
    }

    /** Consumes the whole per-request observability cost: metrics plus the access log event. */
    @Benchmark
    public void metricsAndAccessLog(Blackhole blackhole) {
        RequestOutcome outcome = nextOutcome();
        metrics.recordRequest(outcome);
        metrics.recordQueueWait(outcome.family(), outcome.priority(), outcome.queueWaitNanos());
        AccessLogEntry.fill(accessLog.atInfo(), outcome).log();
        blackhole.consume(outcome);
    }

    /** An appender that drops every event: stands in for the asynchronous write. */
    static final class DiscardingAppender extends AppenderBase<ILoggingEvent> {
        // Written and read by the appending thread only; keeps the event reachable so it is not optimised away.
        private volatile Object lastEvent;

        @Override
        protected void append(ILoggingEvent event) {
            lastEvent = event;
        }
    }
}
