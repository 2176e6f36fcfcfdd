package dev.xigate.limit;

/** Returns why a pool's limit changed, for events, metrics and logs. */
public enum LimitChangeCause {
    /** The upstream's concurrency headers gave a new maximum or more concurrency used by others. */
    UPSTREAM_HEADERS("upstream_headers"),
    /** The upstream answered 429 for concurrency: the pool shrank. */
    UPSTREAM_REJECTED("upstream_rejected"),
    /** No 429 and no headers for a probe interval: the pool grew back by one. */
    PROBE("probe");

    private final String label;

    LimitChangeCause(String label) {
        this.label = label;
    }

    /** Returns the lower-case label for metric tags and log lines. */
    public String label() {
        return label;
    }
}
