package dev.xigate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes client keys the way the configuration stores them: SHA-256 of the UTF-8 bytes, lower-case hex. */
public final class KeyHashes {
    private KeyHashes() {
    }

    /** Returns the lower-case hex SHA-256 of the key. */
    public static String sha256Hex(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash key: SHA-256 is missing from this JDK", e);
        }
    }
}
