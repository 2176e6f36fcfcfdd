package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Returns the premade voices the simulated account has, in the API's {@code Voice} shape. Immutable. */
final class VoiceCatalog {
    private static final List<Voice> VOICES = List.of(
            new Voice("21m00Tcm4TlvDq8ikWAM", "Rachel", "female", "american", "calm", "narration"),
            new Voice("EXAVITQu4vr4xnSDxMaL", "Sarah", "female", "american", "soft", "news"),
            new Voice("JBFqnCBsd6RMkjVDRZzb", "George", "male", "british", "warm", "narration"),
            new Voice("pNInz6obpgDQGcFmaJgB", "Adam", "male", "american", "deep", "narration"),
            new Voice("ErXwobaYiN019PkySvjV", "Antoni", "male", "american", "well-rounded", "narration"),
            new Voice("TxGEqnHWrfWFTfGW9XjX", "Josh", "male", "american", "deep", "narration"),
            new Voice("onwK4e9ZLuTAKqWW03F9", "Daniel", "male", "british", "deep", "news"),
            new Voice("XB0fDUnXU5powFXDhCwa", "Charlotte", "female", "swedish", "seductive", "characters"));
    private static final Map<String, Voice> BY_ID = index();

    private VoiceCatalog() {
    }

    static boolean exists(String voiceId) {
        return BY_ID.containsKey(voiceId);
    }

    static Optional<ObjectNode> find(String voiceId) {
        return Optional.ofNullable(BY_ID.get(voiceId)).map(VoiceCatalog::toJson);
    }

    static ArrayNode all() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        VOICES.forEach(voice -> out.add(toJson(voice)));
        return out;
    }

    private static Map<String, Voice> index() {
        Map<String, Voice> map = new LinkedHashMap<>();
        VOICES.forEach(voice -> map.put(voice.id(), voice));
        return Map.copyOf(map);
    }

    private static ObjectNode toJson(Voice voice) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("voice_id", voice.id());
        node.put("name", voice.name());
        node.putArray("samples");
        node.put("category", "premade");
        ObjectNode fineTuning = node.putObject("fine_tuning").put("is_allowed_to_fine_tune", false);
        fineTuning.putObject("state");
        ObjectNode labels = node.putObject("labels");
        labels.put("gender", voice.gender());
        labels.put("accent", voice.accent());
        labels.put("description", voice.description());
        labels.put("use_case", voice.useCase());
        node.put("description", "A premade voice of the xigate simulator.");
        node.put("preview_url", "https://example.invalid/voices/" + voice.id() + "/preview.mp3");
        node.putArray("available_for_tiers");
        ObjectNode settings = node.putObject("settings");
        settings.put("stability", 0.5).put("similarity_boost", 0.75).put("style", 0.0)
                .put("use_speaker_boost", true).put("speed", 1.0);
        node.putNull("sharing");
        node.putArray("high_quality_base_model_ids").add("eleven_multilingual_v2").add("eleven_flash_v2_5");
        node.putArray("verified_languages");
        node.put("is_owner", false);
        node.put("is_legacy", false);
        node.put("is_mixed", false);
        node.putNull("created_at_unix");
        return node;
    }

    private record Voice(String id, String name, String gender, String accent, String description, String useCase) {
    }
}
