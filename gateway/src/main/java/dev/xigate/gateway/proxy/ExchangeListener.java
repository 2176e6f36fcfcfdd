package dev.xigate.gateway.proxy;

/**
 * Receives one record per finished request: the seam for access logs and metrics.
 *
 * <p>Called on the request's thread after the response is complete; implementations must be fast and must not
 * throw (a throwing listener is logged and ignored).
 */
@FunctionalInterface
public interface ExchangeListener {
    /** Records one finished request. */
    void onExchange(ExchangeRecord record);
}
