package dev.xigate.plan;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * An ElevenLabs subscription tier and its concurrency limit per model family.
 *
 * <p>The numbers are the table of the production-deployment description xigate was built from (its speech-to-text
 * column is lower than the 2025 docs, so it is the safe default). Enterprise limits are "elevated" and unpublished:
 * the values here are a conservative guess to be overridden in configuration, and the adaptive limiter learns the
 * real maximum from the upstream's {@code maximum-concurrent-requests} header anyway. A limit of 0 means the family
 * is not available on the tier (music on Free).
 */
public enum PlanTier {
    FREE(2, 4, 8, 0, 10_000),
    STARTER(3, 6, 12, 2, 30_000),
    CREATOR(5, 10, 20, 2, 100_000),
    PRO(10, 20, 40, 2, 500_000),
    SCALE(15, 30, 60, 3, 2_000_000),
    BUSINESS(15, 30, 60, 3, 11_000_000),
    ENTERPRISE(30, 60, 120, 5, 50_000_000);

    private final Map<ModelFamily, Integer> limits;
    private final long monthlyCharacters;

    PlanTier(int multilingual, int turboFlash, int stt, int music, long monthlyCharacters) {
        EnumMap<ModelFamily, Integer> table = new EnumMap<>(ModelFamily.class);
        table.put(ModelFamily.MULTILINGUAL, multilingual);
        table.put(ModelFamily.TURBO_FLASH, turboFlash);
        table.put(ModelFamily.STT, stt);
        table.put(ModelFamily.MUSIC, music);
        // Sound effects and unknown models: the docs publish no number, so they get the standard TTS limit.
        table.put(ModelFamily.DEFAULT, multilingual);
        this.limits = Map.copyOf(table);
        this.monthlyCharacters = monthlyCharacters;
    }

    /** Returns the concurrency limit of the family on this tier; 0 when the family is not available. */
    public int concurrencyLimit(ModelFamily family) {
        return limits.get(family);
    }

    /** Returns the monthly character (credit) quota of the tier, used by the simulator's default quota. */
    public long monthlyCharacters() {
        return monthlyCharacters;
    }

    /** Returns the lower-case name used by the API ({@code "pro"}) and in configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a tier from its name, case-insensitively.
     *
     * @throws IllegalArgumentException if the text names no tier
     */
    public static PlanTier fromLabel(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plan tier: " + text
                    + " (expected: one of free, starter, creator, pro, scale, business, enterprise)", e);
        }
    }
}
