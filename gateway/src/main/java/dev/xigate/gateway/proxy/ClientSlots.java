package dev.xigate.gateway.proxy;

import dev.xigate.gateway.auth.ClientIdentity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** Counts each client's requests inside the gateway against the client's own {@code max-concurrent}. Thread-safe. */
public final class ClientSlots {
    private final Map<String, Semaphore> byClient = new ConcurrentHashMap<>();

    /** Returns whether the client may start one more request; a {@code true} must be matched by a release. */
    public boolean tryAcquire(ClientIdentity client) {
        if (client.maxConcurrent() <= 0) {
            return true;
        }
        return byClient.computeIfAbsent(client.name(), name -> new Semaphore(client.maxConcurrent())).tryAcquire();
    }

    /** Gives back one request slot of the client. */
    public void release(ClientIdentity client) {
        if (client.maxConcurrent() > 0) {
            Semaphore slots = byClient.get(client.name());
            if (slots != null) {
                slots.release();
            }
        }
    }
}
