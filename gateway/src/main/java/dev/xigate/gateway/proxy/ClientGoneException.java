package dev.xigate.gateway.proxy;

import java.io.IOException;

/** Thrown when the client disconnected while its request waited; nothing was sent upstream. */
public final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for a request id. */
    public ClientGoneException(String requestId) {
        super("client of request " + requestId + " disconnected while queued");
    }
}
