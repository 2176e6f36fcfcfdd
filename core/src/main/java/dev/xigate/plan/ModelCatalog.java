package dev.xigate.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ElevenLabs models xigate knows, with their concurrency family, length limit and cost.
 *
 * <p>The gateway uses it to put a request in the right pool from its {@code model_id}; the simulator uses it to
 * answer {@code GET /v1/models}, to enforce per-request text limits and to charge credits. Thread-safe (immutable).
 */
public final class ModelCatalog {
    /** The model the API uses for text-to-speech when a request names none. */
    public static final String DEFAULT_TTS_MODEL = "eleven_multilingual_v2";
    /** The model used for sound effects when a request names none. */
    public static final String DEFAULT_SOUND_MODEL = "eleven_text_to_sound_v2";
    /** The model used for music when a request names none. */
    public static final String DEFAULT_MUSIC_MODEL = "music_v1";

    private static final ModelFamily ML = ModelFamily.MULTILINGUAL;
    private static final ModelFamily TF = ModelFamily.TURBO_FLASH;
    private static final ModelCatalog STANDARD = new ModelCatalog(List.of(
            new ModelInfo("eleven_multilingual_v2", "Eleven Multilingual v2", ML, 10_000, 1.0, true),
            new ModelInfo("eleven_v3", "Eleven v3", ML, 5_000, 1.0, true),
            new ModelInfo("eleven_monolingual_v1", "Eleven English v1", ML, 10_000, 1.0, true),
            new ModelInfo("eleven_multilingual_v1", "Eleven Multilingual v1", ML, 10_000, 1.0, true),
            new ModelInfo("eleven_flash_v2_5", "Eleven Flash v2.5", TF, 40_000, 0.5, true),
            new ModelInfo("eleven_flash_v2", "Eleven Flash v2", TF, 30_000, 0.5, true),
            new ModelInfo("eleven_turbo_v2_5", "Eleven Turbo v2.5", TF, 40_000, 0.5, true),
            new ModelInfo("eleven_turbo_v2", "Eleven Turbo v2", TF, 30_000, 0.5, true),
            new ModelInfo("scribe_v1", "Scribe v1", ModelFamily.STT, 0, 0.0, false),
            new ModelInfo("scribe_v2", "Scribe v2", ModelFamily.STT, 0, 0.0, false),
            new ModelInfo("music_v1", "Eleven Music v1", ModelFamily.MUSIC, 0, 0.0, false),
            new ModelInfo("eleven_text_to_sound_v2", "Eleven Sound Effects v2", ModelFamily.DEFAULT, 0, 0.0, false)));

    private final Map<String, ModelInfo> byId;
    private final List<ModelInfo> ordered;

    private ModelCatalog(List<ModelInfo> models) {
        Map<String, ModelInfo> map = new LinkedHashMap<>();
        for (ModelInfo model : models) {
            map.put(model.modelId(), model);
        }
        this.byId = Map.copyOf(map);
        this.ordered = List.copyOf(models);
    }

    /** Returns the catalog of public ElevenLabs models. */
    public static ModelCatalog standard() {
        return STANDARD;
    }

    /** Returns the model with this id, if the catalog knows it. */
    public Optional<ModelInfo> find(String modelId) {
        return Optional.ofNullable(byId.get(modelId));
    }

    /** Returns every model, in a stable order. */
    public List<ModelInfo> all() {
        return ordered;
    }

    /**
     * Returns the concurrency family of a model id; {@link ModelFamily#DEFAULT} for ids the catalog does not know.
     *
     * <p>Unknown ids are placed by name so that newer models still land in a sensible pool: anything with
     * {@code flash} or {@code turbo} is Turbo/Flash, {@code scribe} is STT, {@code music} is Music.
     */
    public ModelFamily familyOf(String modelId) {
        ModelInfo known = byId.get(modelId);
        if (known != null) {
            return known.family();
        }
        if (modelId.contains("flash") || modelId.contains("turbo")) {
            return ModelFamily.TURBO_FLASH;
        }
        if (modelId.startsWith("scribe")) {
            return ModelFamily.STT;
        }
        if (modelId.startsWith("music")) {
            return ModelFamily.MUSIC;
        }
        if (modelId.startsWith("eleven_") && modelId.contains("multilingual")) {
            return ModelFamily.MULTILINGUAL;
        }
        return ModelFamily.DEFAULT;
    }
}
