package dev.xigate.gateway.proxy;

/** Thrown when a request body cannot be read for its model id: malformed JSON or multipart. */
public final class InvalidBodyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String param;

    /** Creates the exception; {@code param} names the offending field, or is {@code null}. */
    public InvalidBodyException(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    /** Returns the offending field, or {@code null}. */
    public String param() {
        return param;
    }
}
