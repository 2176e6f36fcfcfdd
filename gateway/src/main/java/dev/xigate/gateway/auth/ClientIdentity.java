package dev.xigate.gateway.auth;

import java.util.Objects;

/**
 * A caller the gateway recognised by its client key.
 *
 * @param name the client's name from the configuration (never the key)
 * @param defaultPriority the level used when a request asks for none (0 = highest)
 * @param highestPriority the highest level the client may ask for (0 = highest)
 * @param maxConcurrent how many of its requests may be in the gateway at once; 0 means no limit of its own
 */
public record ClientIdentity(String name, int defaultPriority, int highestPriority, int maxConcurrent) {
    /** The identity used when no client keys are configured (loopback only). */
    public static final ClientIdentity ANONYMOUS = new ClientIdentity("anonymous", Priority.NORMAL, Priority.HIGH, 0);

    /** Creates an identity. */
    public ClientIdentity {
        Objects.requireNonNull(name, "name");
    }

    /** Returns the level a request gets: its requested level capped to what the client may use. */
    public int effectivePriority(Integer requested) {
        return requested == null ? defaultPriority : Priority.cap(requested, highestPriority);
    }
}
