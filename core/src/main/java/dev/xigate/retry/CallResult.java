package dev.xigate.retry;

import dev.xigate.cache.CachedAudio;
import dev.xigate.error.ApiError;
import java.time.Duration;
import java.util.Objects;

/** Returns how a resilient upstream call ended; the gateway turns each kind into its answer. */
public sealed interface CallResult permits CallResult.Answered, CallResult.Fallback, CallResult.Failed {
    /**
     * The upstream answered and that answer goes to the client unchanged: a success (its body not yet read), a
     * client error, or the last 429/5xx once retrying stopped and no cached audio exists. The caller streams the
     * body and then releases the slot.
     *
     * @param response the upstream's answer
     * @param slot the slot still held for the body's transfer
     * @param outcome the answer's class
     * @param attempts attempts made
     */
    record Answered(UpstreamResponse response, UpstreamSlot slot, Outcome outcome, int attempts)
            implements CallResult {
        /** Creates the result. */
        public Answered {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * The upstream failed (retries exhausted or circuit open) and cached audio for the same request is served
     * instead, marked as a fallback. No slot is held.
     *
     * @param audio the cached audio
     * @param cause the failure that led to the fallback
     */
    record Fallback(CachedAudio audio, Outcome cause) implements CallResult {
        /** Creates the result. */
        public Fallback {
            Objects.requireNonNull(audio, "audio");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * No upstream answer can be passed on: xigate answers with its own error. No slot is held.
     *
     * @param error the error to answer with
     * @param retryAfter the wait to advertise in {@code Retry-After}, or {@code null}
     * @param attempts attempts made
     */
    record Failed(ApiError error, Duration retryAfter, int attempts) implements CallResult {
        /** Creates the result. */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
