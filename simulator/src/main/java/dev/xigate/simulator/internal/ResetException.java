package dev.xigate.simulator.internal;

/** Signals that the connection must be dropped without an answer (an injected reset). */
final class ResetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResetException() {
        super("injected connection reset", null, false, false);
    }
}
