package dev.xigate.plan;

import java.util.Locale;

/**
 * A concurrency bucket of the ElevenLabs API: requests of one family share one account-wide limit.
 *
 * <p>The families follow the plan table of the ElevenLabs docs (Multilingual v2, Turbo and Flash, speech-to-text and
 * music). {@link #DEFAULT} holds generation requests whose model belongs to none of them (sound effects, unknown or
 * newer models), so that every generation request is counted somewhere.
 */
public enum ModelFamily {
    /** Multilingual v2 and the other non-Flash/Turbo text-to-speech models ("standard" concurrency group). */
    MULTILINGUAL("multilingual"),
    /** Turbo and Flash text-to-speech models ("turbo" concurrency group). */
    TURBO_FLASH("turbo_flash"),
    /** Batch speech-to-text (Scribe). */
    STT("stt"),
    /** Music generation. */
    MUSIC("music"),
    /** Any other generation request: sound effects and models the catalog does not know. */
    DEFAULT("default");

    private final String label;

    ModelFamily(String label) {
        this.label = label;
    }

    /** Returns the stable lower-case name used in configuration, metrics labels and JSON. */
    public String label() {
        return label;
    }

    /**
     * Parses a family from its label or enum name, case-insensitively.
     *
     * @throws IllegalArgumentException if the text names no family
     */
    public static ModelFamily fromLabel(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (ModelFamily family : values()) {
            if (family.label.equals(normalized) || family.name().toLowerCase(Locale.ROOT).equals(normalized)) {
                return family;
            }
        }
        throw new IllegalArgumentException("model family: " + text
                + " (expected: one of multilingual, turbo_flash, stt, music, default)");
    }
}
