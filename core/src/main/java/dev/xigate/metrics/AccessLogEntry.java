package dev.xigate.metrics;

import java.util.Locale;
import java.util.Objects;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Fills one access log event from a {@link RequestOutcome}: the request id first in the message, then every field as
 * a structured key-value pair (JSON fields with the Logstash encoder).
 *
 * <p>The caller picks the logger ({@link #LOGGER_NAME}) and the level; this class only shapes the event, so the core
 * never decides to log at INFO. Nothing secret is in a {@link RequestOutcome}, so nothing secret reaches the line.
 *
 * <pre>{@code
 * AccessLogEntry.fill(ACCESS.atInfo(), outcome).log();
 * }</pre>
 */
public final class AccessLogEntry {
    /** The logger the gateway writes access lines to; its level is set apart from {@code dev.xigate}. */
    public static final String LOGGER_NAME = "xigate.access";

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private AccessLogEntry() {
    }

    /** Returns the builder, filled with the message and the outcome's fields. */
    public static LoggingEventBuilder fill(LoggingEventBuilder event, RequestOutcome outcome) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(outcome, "outcome");
        event.setMessage(outcome.requestId() + " Request completed")
                .addKeyValue("requestId", outcome.requestId())
                .addKeyValue("userId", outcome.userId())
                .addKeyValue("client", outcome.client())
                .addKeyValue("endpoint", outcome.endpoint())
                .addKeyValue("model", outcome.model())
                .addKeyValue("family", outcome.familyLabel())
                .addKeyValue("priority", outcome.priority())
                .addKeyValue("status", outcome.status())
                .addKeyValue("attempts", outcome.attempts())
                .addKeyValue("queueWaitMs", millis(outcome.queueWaitNanos()))
                .addKeyValue("durationMs", millis(outcome.durationNanos()))
                .addKeyValue("characters", outcome.characters());
        if (outcome.firstByteNanos() >= 0) {
            event.addKeyValue("firstByteMs", millis(outcome.firstByteNanos()));
        }
        if (outcome.audioSeconds() > 0) {
            event.addKeyValue("audioSeconds", outcome.audioSeconds());
        }
        if (outcome.errorType() != null) {
            event.addKeyValue("errorType", outcome.errorType());
        }
        if (outcome.cache() != RequestOutcome.CacheResult.BYPASS) {
            event.addKeyValue("cache", outcome.cache().name().toLowerCase(Locale.ROOT));
        }
        return event;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / NANOS_PER_MILLI * 1000) / 1000.0;
    }
}
