package dev.xigate.plan;

/**
 * What xigate knows about one ElevenLabs model.
 *
 * @param modelId the API's model id, for example {@code eleven_multilingual_v2}
 * @param name the display name returned by {@code GET /v1/models}
 * @param family the concurrency bucket the model's requests count against
 * @param maxCharactersPerRequest the longest text one request may carry (0 when the model takes no text)
 * @param costMultiplier credits charged per character ({@code 1.0} for standard models, {@code 0.5} for Flash/Turbo)
 * @param textToSpeech whether the model can do text-to-speech
 */
public record ModelInfo(
        String modelId,
        String name,
        ModelFamily family,
        int maxCharactersPerRequest,
        double costMultiplier,
        boolean textToSpeech) {

    /** Returns the API's {@code concurrency_group} value: {@code turbo} for Flash/Turbo, else {@code standard}. */
    public String concurrencyGroup() {
        return family == ModelFamily.TURBO_FLASH ? "turbo" : "standard";
    }

    /** Returns the credits a text of {@code characters} characters costs on this model, rounded up. */
    public long creditsFor(long characters) {
        return (long) Math.ceil(characters * costMultiplier);
    }
}
