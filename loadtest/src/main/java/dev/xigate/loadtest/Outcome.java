package dev.xigate.loadtest;

/** What became of one request. */
public sealed interface Outcome permits Outcome.Success, Outcome.Failure {

    /** Returns the HTTP status (101 for a WebSocket session, 0 when no answer came). */
    int status();

    /** Returns when the first byte of the body (or first audio message) arrived, on the run clock; 0 if never. */
    long firstByteAtNanos();

    /**
     * A 2xx answer whose body was read to its end.
     *
     * @param status the HTTP status
     * @param firstByteAtNanos when the first body byte arrived
     * @param bytes the body size
     */
    record Success(int status, long firstByteAtNanos, long bytes) implements Outcome {
    }

    /**
     * An error answer or a transport failure.
     *
     * @param status the HTTP status, or 0 when no answer came (timeout, refused, reset)
     * @param type the error's {@code detail.status} (or {@code detail.code}) for answers, else the failure kind
     *     ({@code timeout}, {@code connect_error}, {@code io_error}, {@code ws_closed_1008}, ...)
     * @param firstByteAtNanos when the first body byte arrived, 0 if never
     */
    record Failure(int status, String type, long firstByteAtNanos) implements Outcome {
    }
}
