package dev.xigate.retry;

import java.io.IOException;
import java.util.Objects;

/** Returns how relaying a response body to the client ended. */
public sealed interface RelayResult permits RelayResult.Completed, RelayResult.UpstreamFailed,
        RelayResult.ClientGone {
    /** Returns the bytes that reached the client. */
    long bytes();

    /**
     * Every byte was relayed.
     *
     * @param bytes bytes relayed
     */
    record Completed(long bytes) implements RelayResult {
    }

    /**
     * The upstream failed or stalled mid-body; the client's stream was ended early.
     *
     * @param bytes bytes relayed before the failure
     * @param cause what failed
     * @param stalled whether the cause was the idle watchdog (no byte within the idle timeout)
     */
    record UpstreamFailed(long bytes, IOException cause, boolean stalled) implements RelayResult {
        /** Creates the result. */
        public UpstreamFailed {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * The client went away (its connection failed on write); the upstream body was abandoned.
     *
     * @param bytes bytes relayed before the failure
     * @param cause the write failure
     */
    record ClientGone(long bytes, IOException cause) implements RelayResult {
        /** Creates the result. */
        public ClientGone {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
