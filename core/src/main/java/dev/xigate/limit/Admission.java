package dev.xigate.limit;

import dev.xigate.error.ApiError;
import java.time.Duration;
import java.util.Objects;

/**
 * The limiter's answer to one {@link AdmissionRequest}: a permit or a rejection with its reason.
 */
public sealed interface Admission permits Admission.Granted, Admission.Rejected {

    /**
     * A permit for one upstream call.
     *
     * @param permit the slot to release when the upstream call is over
     * @param queueWait how long the request waited in the queue ({@link Duration#ZERO} when a slot was free)
     */
    record Granted(Permit permit, Duration queueWait) implements Admission {
        /** Creates a grant. */
        public Granted {
            Objects.requireNonNull(permit, "permit");
            Objects.requireNonNull(queueWait, "queueWait");
        }
    }

    /**
     * A refusal, explained.
     *
     * @param reason the reason, whose {@link RejectReason#status()} goes into the error body
     * @param retryAfter when trying again has a fair chance, in whole seconds (at least one second), or
     *     {@link Duration#ZERO} when retrying cannot help (the family is unavailable, or the request alone exceeds a
     *     rate policy such as the whole character budget)
     * @param message a sentence for a person: what was full or exhausted, and the numbers
     */
    record Rejected(RejectReason reason, Duration retryAfter, String message) implements Admission {
        /** Creates a rejection. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(message, "message");
        }

        /**
         * Returns the error body for this refusal in the ElevenLabs shape: {@code detail.status} and
         * {@code detail.code} are {@link RejectReason#status()}, the HTTP status is
         * {@link RejectReason#httpStatus()}. Send {@code Retry-After: retryAfter().toSeconds()} with it when that is
         * above zero.
         */
        public ApiError toApiError() {
            String type = switch (reason.httpStatus()) {
                case 429 -> "rate_limit_error";
                case 403 -> "permission_error";
                default -> "service_unavailable";
            };
            return ApiError.of(reason.httpStatus(), type, reason.status(), message);
        }
    }
}
