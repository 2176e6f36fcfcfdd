package dev.xigate.gateway.resilience;

import dev.xigate.gateway.upstream.AttemptTimeout;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds one upstream attempt's wait for response headers by the attempt's timeout, which the retry stage sets
 * for the attempt it is making: {@code min(attempt-timeout, time left before the request's deadline)}.
 *
 * <p>Runs after admission, so time spent queueing for a permit never counts as an upstream timeout. The timeout
 * travels from the retry stage on the calling thread as the {@link AttemptTimeout}. When the next call
 * {@linkplain UpstreamCall#honoursAttemptTimeout() bounds its own wait} (xigate's HTTP/1.1 upstream call does, by
 * a socket read timeout), this stage adds nothing and costs nothing. Otherwise the call runs on its own virtual
 * thread; when the timeout passes, that thread is interrupted (the JDK client then cancels the exchange) and the
 * caller gets an {@link HttpTimeoutException}, which admission answers by releasing the permit and the retry stage
 * classifies as a timeout. An answer that arrives after all is closed at once. Without a timeout, the call is made
 * directly. Thread-safe.
 */
public final class AttemptTimeoutStep implements UpstreamInterceptor {
    private final ExecutorService threads;

    /**
     * Creates the stage.
     *
     * @param threads runs each bounded call (a virtual-thread-per-task executor suits it)
     */
    public AttemptTimeoutStep(ExecutorService threads) {
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public UpstreamCall wrap(UpstreamCall next) {
        if (next.honoursAttemptTimeout()) {
            return next;
        }
        return request -> {
            Duration timeout = AttemptTimeout.current().orElse(null);
            return timeout == null ? next.send(request) : sendWithin(request, next, timeout);
        };
    }

    private UpstreamResponse sendWithin(UpstreamRequest request, UpstreamCall next, Duration timeout)
            throws IOException, InterruptedException, GatewayRejection {
        CompletableFuture<UpstreamResponse> answer = new CompletableFuture<>();
        Future<?> call = threads.submit(() -> {
            try {
                UpstreamResponse response = next.send(request);
                if (!answer.complete(response)) {
                    // The caller gave up already: this late answer has no reader.
                    response.close();
                }
            } catch (Exception | Error failure) {
                answer.completeExceptionally(failure);
            }
        });
        try {
            return answer.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException expired) {
            abandon(answer, call);
            throw new HttpTimeoutException("upstream sent no response headers within " + timeout.toMillis() + " ms");
        } catch (InterruptedException interrupted) {
            abandon(answer, call);
            throw interrupted;
        } catch (ExecutionException failed) {
            throw rethrow(failed.getCause());
        }
    }

    private static void abandon(CompletableFuture<UpstreamResponse> answer, Future<?> call) {
        if (!answer.completeExceptionally(new HttpTimeoutException("abandoned"))) {
            // The answer won the race after all; nobody reads it, so give its connection back.
            answer.thenAccept(UpstreamResponse::close);
        }
        call.cancel(true);
    }

    private static IOException rethrow(Throwable cause) throws GatewayRejection, InterruptedException {
        if (cause instanceof GatewayRejection rejection) {
            throw rejection;
        }
        if (cause instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof IOException io ? io : new IOException("upstream call failed: " + cause, cause);
    }
}
