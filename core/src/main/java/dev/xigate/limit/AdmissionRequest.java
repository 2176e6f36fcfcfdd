package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.util.Objects;

/**
 * Creates the description of one request that wants an upstream slot.
 *
 * <p>Example: {@code AdmissionRequest.of(ModelFamily.TURBO_FLASH, 1, "newsroom", 1_200, "req-42")}.
 *
 * @param family the pool the request counts against
 * @param priority 0 is the highest; a value beyond the configured levels is served at the lowest level
 * @param clientName who sends it: fairness, per-client rate policies and budgets are keyed by it
 * @param characters the text length for text requests (charged to character budgets), 0 otherwise
 * @param requestId the request id, carried into events and log lines
 */
public record AdmissionRequest(ModelFamily family, int priority, String clientName, long characters,
        String requestId) {
    /** The priority used when none is given: the middle of the three default levels. */
    public static final int DEFAULT_PRIORITY = 1;
    /** The client name used when none is given. */
    public static final String ANONYMOUS_CLIENT = "anonymous";

    /**
     * Creates a request.
     *
     * @throws IllegalArgumentException if priority or characters is negative or the client name is blank
     */
    public AdmissionRequest {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(requestId, "requestId");
        if (priority < 0) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: >= 0)");
        }
        if (characters < 0) {
            throw new IllegalArgumentException("characters: " + characters + " (expected: >= 0)");
        }
        if (clientName.isBlank()) {
            throw new IllegalArgumentException("clientName: \"" + clientName + "\" (expected: not blank)");
        }
    }

    /** Creates a request; same as the canonical constructor. */
    public static AdmissionRequest of(ModelFamily family, int priority, String clientName, long characters,
            String requestId) {
        return new AdmissionRequest(family, priority, clientName, characters, requestId);
    }

    /** Creates a builder for a request of this family, with the default priority, client and no characters. */
    public static Builder builder(ModelFamily family) {
        return new Builder(family);
    }

    /** Builds an {@link AdmissionRequest}; setters validate in {@link #build()}. */
    public static final class Builder {
        private final ModelFamily family;
        private int priority = DEFAULT_PRIORITY;
        private String clientName = ANONYMOUS_CLIENT;
        private long characters;
        private String requestId = "-";

        private Builder(ModelFamily family) {
            this.family = Objects.requireNonNull(family, "family");
        }

        /** Sets the priority, 0 the highest (default {@value AdmissionRequest#DEFAULT_PRIORITY}). */
        public Builder priority(int value) {
            this.priority = value;
            return this;
        }

        /** Sets the client name (default {@value AdmissionRequest#ANONYMOUS_CLIENT}). */
        public Builder clientName(String value) {
            this.clientName = value;
            return this;
        }

        /** Sets the text length charged to character budgets (default 0). */
        public Builder characters(long value) {
            this.characters = value;
            return this;
        }

        /** Sets the request id (default {@code -}). */
        public Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        /** Returns the request. */
        public AdmissionRequest build() {
            return new AdmissionRequest(family, priority, clientName, characters, requestId);
        }
    }
}
