package dev.xigate.simulator;

/**
 * Creates the effect of another client using some of an account's concurrency: while open, the slots count against
 * the key's limit. Closing releases them; closing twice is harmless. Thread-safe.
 */
public interface SlotHold extends AutoCloseable {
    /** Returns the id under which {@code DELETE /_sim/hold/{id}} releases the hold. */
    String id();

    /** Releases the slots. */
    @Override
    void close();
}
