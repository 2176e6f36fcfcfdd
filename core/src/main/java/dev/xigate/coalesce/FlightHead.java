package dev.xigate.coalesce;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Returns the head of a shared response: what every client of one flight is answered with before the body.
 *
 * @param status the HTTP status
 * @param headers the response headers to pass on, each with its values
 */
public record FlightHead(int status, Map<String, List<String>> headers) {
    /** Creates a head, copying the headers. */
    public FlightHead {
        Objects.requireNonNull(headers, "headers");
        headers = Map.copyOf(headers);
    }
}
