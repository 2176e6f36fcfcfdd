package dev.xigate.gateway.proxy;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Picks the id of a request: the client's own {@code x-request-id} or {@code request-id} when it is a sane token,
 * else a new random one (32 hex characters, the shape of ElevenLabs' trace ids). Thread-safe.
 */
public final class RequestIds {
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    /** Returns the client's id when it is usable, else a new one. */
    public static String reuseOrCreate(String fromXRequestId, String fromRequestId) {
        if (fromXRequestId != null && SANE.matcher(fromXRequestId).matches()) {
            return fromXRequestId;
        }
        if (fromRequestId != null && SANE.matcher(fromRequestId).matches()) {
            return fromRequestId;
        }
        return create();
    }

    /**
     * Returns a new random request id. Ids only need to be unique, not secret: a thread-local generator avoids the
     * lock a shared {@code SecureRandom} takes on every request.
     */
    public static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
