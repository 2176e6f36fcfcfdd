package dev.xigate.cache;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Returns one cached audio answer: its content type, its complete body and when it was stored. Immutable: the body
 * is copied in (or handed over for good through {@link #adopt}) and never handed out for writing.
 */
public final class CachedAudio {
    private final String contentType;
    private final byte[] body;
    private final Instant storedAt;

    /**
     * Creates a cached answer.
     *
     * @param contentType the upstream's {@code content-type}, for example {@code audio/mpeg}
     * @param body the complete body
     * @param storedAt when it was produced
     */
    public CachedAudio(String contentType, byte[] body, Instant storedAt) {
        this(Objects.requireNonNull(contentType, "contentType"), Objects.requireNonNull(body, "body").clone(),
                Objects.requireNonNull(storedAt, "storedAt"), true);
    }

    private CachedAudio(String contentType, byte[] body, Instant storedAt, boolean trusted) {
        this.contentType = contentType;
        this.body = body;
        this.storedAt = storedAt;
    }

    /**
     * Returns an answer wrapping a body without copying it: the caller hands the array over and neither it nor
     * anyone else may change it afterwards (reading it on is fine).
     *
     * @param contentType the upstream's {@code content-type}
     * @param body the complete body, from now on never written to
     * @param storedAt when it was produced
     */
    public static CachedAudio adopt(String contentType, byte[] body, Instant storedAt) {
        return new CachedAudio(Objects.requireNonNull(contentType, "contentType"),
                Objects.requireNonNull(body, "body"), Objects.requireNonNull(storedAt, "storedAt"), true);
    }

    /** Returns the content type. */
    public String contentType() {
        return contentType;
    }

    /** Returns a copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** Returns the body's length in bytes. */
    public int size() {
        return body.length;
    }

    /** Returns the body as a read-only stream, without copying it. */
    public InputStream openStream() {
        return new ByteArrayInputStream(body);
    }

    /** Returns when the answer was produced. */
    public Instant storedAt() {
        return storedAt;
    }

    /** Returns the bytes without a copy, for the cache tiers. */
    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedAudio that && contentType.equals(that.contentType)
                && storedAt.equals(that.storedAt) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentType, storedAt, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "CachedAudio[contentType=" + contentType + ", size=" + body.length + ", storedAt=" + storedAt + "]";
    }
}
