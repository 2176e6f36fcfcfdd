package dev.xigate.coalesce;

import java.io.InputStream;

/**
 * Returns the one upstream answer a flight shares: the leader's whole resilient call (permit, retries, breaker)
 * runs inside {@link #open()}, so followers share its final result.
 */
public interface FlightSource {
    /**
     * Returns the answer's head and body; called once per flight, on the flight's own thread.
     *
     * @throws Exception if no answer could be had (followers then fail with it too)
     */
    Answer open() throws Exception;

    /**
     * Receives the complete body once the flight finished and every byte is still held (the body fit the
     * buffer's bound); a hook for storing it in the cache. The default does nothing.
     */
    default void onComplete(FlightHead head, byte[] body) {
    }

    /** Receives the body's failure after the head was sent (a stream cut midway). The default does nothing. */
    default void onBodyFailed(FlightHead head, Throwable failure) {
    }

    /**
     * An upstream answer.
     *
     * @param head the status and headers
     * @param body the body; closed by the flight when it is done or abandoned
     */
    record Answer(FlightHead head, InputStream body) {
    }
}
