package dev.xigate.limit;

import java.util.concurrent.CompletableFuture;

/** Temporary copy of the limiter contract; replaced by the limit branch at merge. */
public interface Ticket {
    /** Returns the admission future. */
    CompletableFuture<Admission> result();

    /** Leaves the queue. */
    boolean cancel();

    /** Returns the queue position. */
    int position();
}
