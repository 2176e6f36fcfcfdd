package dev.xigate.gateway.config;

/**
 * One gateway client key.
 *
 * <p>Only the SHA-256 of the key is stored ({@code xigate serve --hash-key KEY} prints it); the client sends the
 * key itself in the {@code xi-api-key} header, as it would to ElevenLabs.
 *
 * @param name the client's name, used in logs, metrics and fairness
 * @param keySha256 the lower-case hex SHA-256 of the key (64 characters)
 * @param defaultPriority the priority of requests that ask for none ({@code normal} by default)
 * @param maxPriority the highest priority the client may ask for ({@code high} by default)
 * @param maxConcurrent how many requests of this client may be in the gateway at once (queued or running),
 *     or {@code null} for no limit of its own
 * @param requestsPerMinute the most generation requests the client may start in any minute (sliding window), or
 *     {@code null} for no limit of its own
 * @param charactersPerDay the most text characters the client may send per day (a character budget), or
 *     {@code null} for no limit of its own
 */
public record ClientSettings(String name, String keySha256, String defaultPriority, String maxPriority,
        Integer maxConcurrent, Integer requestsPerMinute, Long charactersPerDay) {

    /** Creates the settings, filling defaults for missing values. */
    public ClientSettings {
        defaultPriority = defaultPriority == null ? "normal" : defaultPriority;
        maxPriority = maxPriority == null ? "high" : maxPriority;
    }

    /** Creates settings with no rate limits of the client's own. */
    public static ClientSettings of(String name, String keySha256, String defaultPriority, String maxPriority) {
        return new ClientSettings(name, keySha256, defaultPriority, maxPriority, null, null, null);
    }
}
