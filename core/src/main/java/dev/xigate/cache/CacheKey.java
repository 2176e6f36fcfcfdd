package dev.xigate.cache;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Returns the identity of one cached audio result: the SHA-256 (lower-case hex) of the request's canonical form.
 * Build one with {@link CacheKeys}.
 *
 * @param sha256 64 lower-case hex digits
 */
public record CacheKey(String sha256) {
    /** Creates a key, checking its form (it also names a file on disk). */
    public CacheKey {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> HexFormat.isHexDigit(c)
                && !Character.isUpperCase(c))) {
            throw new IllegalArgumentException("sha256: " + sha256 + " (expected: 64 lower-case hex digits)");
        }
    }

    @Override
    public String toString() {
        return sha256;
    }
}
