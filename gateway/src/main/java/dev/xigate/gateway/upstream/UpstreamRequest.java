package dev.xigate.gateway.upstream;

import dev.xigate.gateway.proxy.ExchangeContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request on its way upstream, already authenticated and classified.
 *
 * @param method the HTTP method
 * @param pathAndQuery the path under the upstream base URL, with its raw query ({@code /v1/models?x=1})
 * @param headers the headers to forward (hop-by-hop headers, the client key and gateway headers removed)
 * @param body the request body, possibly empty (bodies are small JSON or an upload within the size limit)
 * @param exchange what the gateway knows about the request (id, client, family, priority, connection state)
 */
public record UpstreamRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
        ExchangeContext exchange) {

    /** Creates a request. */
    public UpstreamRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(exchange, "exchange");
    }
}
