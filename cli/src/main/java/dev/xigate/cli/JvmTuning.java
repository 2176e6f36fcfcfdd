package dev.xigate.cli;

/**
 * JVM settings xigate applies to itself at start-up, before any network I/O, so that every way of launching it
 * ({@code bin/xigate}, {@code java -jar}, a service unit) runs the same way. An operator's own {@code -D} setting
 * always wins.
 */
final class JvmTuning {
    /** The JDK's switch between its ways of waking virtual threads blocked on sockets. */
    static final String POLLER_MODE = "jdk.pollerMode";

    private JvmTuning() {
    }

    /**
     * Makes platform threads poll sockets for virtual threads (JDK mode 1) instead of the JDK 21-25 default on
     * Linux, where a platform master poller first wakes a virtual-thread sub-poller, which then wakes the blocked
     * thread. Every upstream answer and every client request a gateway waits for goes through this path, and on a
     * small machine each extra thread wake-up is tens to hundreds of microseconds: the end-to-end benchmark measured
     * 0.1 to 0.2 ms less added latency per request at the median (bench/results/probes-2026-12-04b). The property
     * is read once, when the first virtual thread blocks on a socket; JDKs that do not know it ignore it.
     */
    static void apply() {
        if (System.getProperty(POLLER_MODE) == null) {
            System.setProperty(POLLER_MODE, "1");
        }
    }
}
