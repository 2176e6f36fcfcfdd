package dev.xigate.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.Permit;
import dev.xigate.limit.Ticket;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an upstream slot of the request's family around the rest of the pipeline.
 *
 * <p>Queues the request in the {@link Limiter}; while it waits, checks every {@code probeInterval} whether the
 * client is still there and, if not, leaves the queue at once (the request never reaches the upstream). A granted
 * permit is fed each response's {@code current-concurrent-requests}/{@code maximum-concurrent-requests} headers. An
 * upstream 429 {@code too_many_concurrent_requests} is never shown to the client: the permit reports it, gives its
 * slot back, queues again at the head of its level and the call is repeated, up to {@code maxRequeues} times.
 * The permit is released when the returned response is closed, or at once on every failure. Thread-safe.
 */
public final class AdmissionStep implements UpstreamInterceptor {
    /** Response header: how long the request waited for its slot, in milliseconds. */
    public static final String QUEUE_WAIT_HEADER = "x-xigate-queue-wait-ms";
    /** Response header: the request's position in its queue when it arrived (0 = admitted at once). */
    public static final String QUEUE_POSITION_HEADER = "x-xigate-queue-position";
    /** Response header: why the gateway refused the request ({@code queue_full}, ...). */
    public static final String REJECT_REASON_HEADER = "x-xigate-reject-reason";
    /** Response header: how many upstream concurrency 429s the gateway absorbed for this request. */
    public static final String REQUEUES_HEADER = "x-xigate-upstream-requeues";

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionStep.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONCURRENCY_STATUSES = Set.of("too_many_concurrent_requests",
            "concurrent_limit_exceeded");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final Limiter limiter;
    private final int maxRequeues;
    private final Duration probeInterval;
    private final LongSupplier nanoClock;

    /**
     * Creates the step.
     *
     * @param limiter the limiter holding one pool per family
     * @param maxRequeues how often one request is queued again after an upstream concurrency 429
     * @param probeInterval how often a queued request checks that its client is still connected
     * @param nanoClock the monotonic clock a refused request's wait is measured with
     */
    public AdmissionStep(Limiter limiter, int maxRequeues, Duration probeInterval, LongSupplier nanoClock) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        if (maxRequeues < 0) {
            throw new IllegalArgumentException("maxRequeues: " + maxRequeues + " (expected: >= 0)");
        }
        this.maxRequeues = maxRequeues;
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public UpstreamCall wrap(UpstreamCall next) {
        return request -> request.exchange().needsPermit() ? sendWithPermit(request, next) : next.send(request);
    }

    private UpstreamResponse sendWithPermit(UpstreamRequest request, UpstreamCall next)
            throws IOException, InterruptedException, GatewayRejection {
        ExchangeContext exchange = request.exchange();
        AdmissionRequest admission = new AdmissionRequest(exchange.family(), exchange.priority(),
                exchange.client().name(), exchange.characters(), exchange.requestId());
        // A second pass is a retry after an upstream 429 or failure and its backoff: it already waited its turn
        // once, so it goes back to the head of its level rather than behind everyone who arrived since.
        boolean retry = exchange.admissions().getAndIncrement() > 0;
        Ticket ticket = retry ? limiter.enqueueAtHead(admission) : limiter.enqueue(admission);
        exchange.responseHeaders().put(QUEUE_POSITION_HEADER, Integer.toString(ticket.position()));
        Permit permit = awaitPermit(ticket, exchange);
        boolean handedOver = false;
        try {
            for (int requeues = 0; ; requeues++) {
                UpstreamResponse response = next.send(request);
                permit.onUpstreamHeaders(intHeader(response, "current-concurrent-requests"),
                        intHeader(response, "maximum-concurrent-requests"));
                if (response.status() == 429) {
                    response = bufferedCopy(response);
                    if (isConcurrencyRejection(response) && requeues < maxRequeues) {
                        exchange.responseHeaders().put(REQUEUES_HEADER, Integer.toString(requeues + 1));
                        LOG.debug("{} Upstream refused for concurrency, requeueing at head family={} requeues={}",
                                exchange.requestId(), exchange.family().label(), requeues + 1);
                        permit.onUpstreamConcurrencyRejected();
                        Ticket again = permit.requeueAtHead();
                        // The old permit's slot now belongs to the queue: it must not be released a second time.
                        permit = null;
                        permit = awaitPermit(again, exchange);
                        continue;
                    }
                }
                Permit held = permit;
                handedOver = true;
                return UpstreamResponse.onClose(response, held::release);
            }
        } finally {
            if (!handedOver && permit != null) {
                permit.release();
            }
        }
    }

    private Permit awaitPermit(Ticket ticket, ExchangeContext exchange)
            throws GatewayRejection, InterruptedException, ClientGoneException {
        long queuedAtNanos = nanoClock.getAsLong();
        Admission admission = await(ticket, exchange);
        return switch (admission) {
            case Admission.Granted granted -> {
                exchange.responseHeaders().put(QUEUE_WAIT_HEADER, Long.toString(granted.queueWait().toMillis()));
                yield granted.permit();
            }
            case Admission.Rejected rejected -> {
                long waitedMillis = (nanoClock.getAsLong() - queuedAtNanos) / 1_000_000;
                exchange.responseHeaders().put(QUEUE_WAIT_HEADER, Long.toString(waitedMillis));
                throw rejection(rejected);
            }
        };
    }

    /**
     * Waits for the ticket's answer, checking every probe interval that the client is still there. Parks instead of
     * a timed {@code get}: that throws (and fills in) a TimeoutException per check, and under overload every queued
     * request checks many times a second.
     */
    private Admission await(Ticket ticket, ExchangeContext exchange)
            throws InterruptedException, ClientGoneException {
        CompletableFuture<Admission> result = ticket.result();
        if (!result.isDone()) {
            Thread waiting = Thread.currentThread();
            result.whenComplete((admission, failure) -> LockSupport.unpark(waiting));
            long probeNanos = probeInterval.toNanos();
            while (!result.isDone()) {
                LockSupport.parkNanos(result, probeNanos);
                if (Thread.interrupted()) {
                    leave(ticket);
                    throw new InterruptedException("interrupted while request " + exchange.requestId()
                            + " was queued");
                }
                // A wake-up may be early (the grant, or spurious): the check is cheap, so it runs on every one.
                if (!result.isDone() && !exchange.clientConnected().getAsBoolean()) {
                    leave(ticket);
                    throw new ClientGoneException(exchange.requestId());
                }
            }
        }
        try {
            return result.join();
        } catch (CompletionException | CancellationException e) {
            throw new IllegalStateException("limiter failed for request " + exchange.requestId(), e.getCause());
        }
    }

    /** Leaves the queue; if the slot was granted in the meantime, gives it straight back. */
    private static void leave(Ticket ticket) {
        if (!ticket.cancel()) {
            Admission late = ticket.result().getNow(null);
            if (late instanceof Admission.Granted granted) {
                granted.permit().release();
            }
        }
    }

    private static GatewayRejection rejection(Admission.Rejected rejected) {
        Map<String, String> headers = new LinkedHashMap<>();
        // A zero Retry-After means retrying cannot help (family unavailable, request larger than a whole budget).
        if (rejected.retryAfter().isPositive()) {
            long retryAfterSeconds = Math.max(1, (rejected.retryAfter().toMillis() + 999) / 1000);
            headers.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        headers.put(REJECT_REASON_HEADER, rejected.reason().status());
        return new GatewayRejection(rejected.toApiError(), headers);
    }

    private static UpstreamResponse bufferedCopy(UpstreamResponse response) throws IOException {
        try (response) {
            byte[] body = UpstreamResponse.readSmall(response.body(), ERROR_BODY_LIMIT);
            return UpstreamResponse.buffered(response.status(), response.headers(), body);
        }
    }

    private static boolean isConcurrencyRejection(UpstreamResponse response) {
        try {
            JsonNode detail = JSON.readTree(response.body()).path("detail");
            return CONCURRENCY_STATUSES.contains(detail.path("status").asText())
                    || CONCURRENCY_STATUSES.contains(detail.path("code").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static int intHeader(UpstreamResponse response, String name) {
        return response.header(name).map(value -> {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(-1);
    }
}
