package dev.xigate.gateway.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one plain log line per request to the {@code dev.xigate.gateway.access} logger; never a key or a body. */
public final class AccessLog implements ExchangeListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.xigate.gateway.access");

    @Override
    public void onExchange(ExchangeRecord r) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} Request completed client={} user={} method={} endpoint={} family={} priority={} status={}"
                    + " durationMs={} queueWaitMs={} bytes={} outcome={}", r.requestId(), r.client(),
                    r.userId() == null ? "-" : r.userId(),
                    r.method(), r.endpoint(), r.family(), r.priority(), r.status(), r.duration().toMillis(),
                    r.queueWait().toMillis(), r.bytesSent(), r.outcome());
        }
    }
}
