package dev.xigate.gateway.auth;

import dev.xigate.gateway.config.ClientSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises callers by their gateway client key ({@code xi-api-key} header).
 *
 * <p>Keys are looked up by their SHA-256, so the configuration never holds a usable key and the lookup time does
 * not depend on how much of a guessed key matches. With no keys configured the registry is open: every caller is
 * {@link ClientIdentity#ANONYMOUS} (the gateway allows that only on loopback). Thread-safe (immutable).
 */
public final class ClientRegistry {
    private final Map<String, ClientIdentity> byHash;

    private ClientRegistry(Map<String, ClientIdentity> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** Creates a registry from validated client settings. */
    public static ClientRegistry of(List<ClientSettings> clients) {
        Map<String, ClientIdentity> map = new HashMap<>();
        for (ClientSettings client : clients) {
            int maxConcurrent = client.maxConcurrent() == null ? 0 : client.maxConcurrent();
            map.put(client.keySha256(), new ClientIdentity(client.name(), Priority.parse(client.defaultPriority()),
                    Priority.parse(client.maxPriority()), maxConcurrent));
        }
        return new ClientRegistry(map);
    }

    /** Returns whether no keys are configured, so that any caller is accepted. */
    public boolean isOpen() {
        return byHash.isEmpty();
    }

    /** Returns the client a presented key belongs to; empty for a missing or unknown key on a closed registry. */
    public Optional<ClientIdentity> authenticate(String presentedKey) {
        if (isOpen()) {
            return Optional.of(ClientIdentity.ANONYMOUS);
        }
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(KeyHashes.sha256Hex(presentedKey)));
    }
}
