package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelInfo;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.audio.OutputFormat;
import java.util.List;

/**
 * Returns a validated text-to-speech request: the same checks, in the same order, as the live API's (auth, body
 * shape, fields, voice, model, length, plan gating of the output format).
 *
 * @param apiKey the caller's key
 * @param text the text to speak
 * @param model the model that speaks it
 * @param format the audio format to answer with
 * @param speed the voice speed (1 = normal), which stretches the audio
 */
record SpeechRequest(String apiKey, String text, ModelInfo model, OutputFormat format, double speed) {
    private static final List<String> NORMALIZATION = List.of("auto", "on", "off");

    /** Returns the number of characters the request is billed and limited by. */
    int characters() {
        return text.codePointCount(0, text.length());
    }

    /** Returns the audio length: about 15 characters per second of speech at normal speed. */
    long audioMillis() {
        return Math.round((300 + 65.0 * characters()) / speed);
    }

    static SpeechRequest parse(Exchange exchange) {
        String apiKey = exchange.apiKey();
        String voiceId = exchange.pathParam("voice_id");
        exchange.family(ModelCatalog.standard().familyOf(ModelCatalog.DEFAULT_TTS_MODEL));
        ObjectNode body = exchange.jsonBody();
        Fields fields = Fields.ofBody(body);
        String text = fields.requiredString("text");
        String modelId = fields.optionalString("model_id");
        exchange.family(ModelCatalog.standard().familyOf(modelId == null ? ModelCatalog.DEFAULT_TTS_MODEL : modelId));
        fields.optionalString("language_code");
        double speed = voiceSettings(fields);
        fields.optionalLong("seed", 0, 4_294_967_295L);
        String previousText = fields.optionalString("previous_text");
        String nextText = fields.optionalString("next_text");
        stringList(fields, "previous_request_ids");
        stringList(fields, "next_request_ids");
        fields.optionalArray("pronunciation_dictionary_locators", 3);
        fields.optionalEnum("apply_text_normalization", NORMALIZATION);
        fields.optionalBoolean("apply_language_text_normalization");
        fields.optionalBoolean("use_pvc_as_ivc");
        Fields query = Fields.ofText("query", exchange::query);
        String formatName = query.optionalEnum("output_format", OutputFormat.speechNames());
        query.optionalLong("optimize_streaming_latency", 0, 4);
        query.optionalBoolean("enable_logging");
        fields.addAll(query);
        fields.throwIfInvalid();

        if (!VoiceCatalog.exists(voiceId)) {
            throw Errors.voiceNotFound(voiceId);
        }
        String effectiveModel = modelId == null ? ModelCatalog.DEFAULT_TTS_MODEL : modelId;
        ModelInfo model = ModelCatalog.standard().find(effectiveModel).orElseThrow(
                () -> Errors.modelNotFound(effectiveModel));
        if (!model.textToSpeech()) {
            throw Errors.modelCannotDo(effectiveModel, "text-to-speech");
        }
        int length = text.codePointCount(0, text.length());
        if (length > model.maxCharactersPerRequest()) {
            throw Errors.textTooLong(length, model.maxCharactersPerRequest());
        }
        if ("eleven_v3".equals(effectiveModel) && (previousText != null || nextText != null)) {
            throw Errors.invalidParameters(previousText != null ? "previous_text" : "next_text",
                    "Providing previous_text or next_text is not yet supported with the 'eleven_v3' model.");
        }
        OutputFormat format = OutputFormat.forSpeech(formatName == null ? OutputFormat.DEFAULT : formatName)
                .orElseThrow();
        checkPlan(format, exchange.engine().config().plan());
        return new SpeechRequest(apiKey, text, model, format, speed);
    }

    /** Returns the requested speed after validating {@code voice_settings} (all fields optional). */
    private static double voiceSettings(Fields fields) {
        ObjectNode settings = fields.optionalObject("voice_settings");
        if (settings == null) {
            return 1.0;
        }
        Fields nested = Fields.ofNested(settings, "voice_settings");
        nested.optionalDouble("stability", 0, 1);
        nested.optionalDouble("similarity_boost", 0, 1);
        nested.optionalDouble("style", 0, 1);
        nested.optionalBoolean("use_speaker_boost");
        Double speed = nested.optionalDouble("speed", 0.7, 1.2);
        fields.addAll(nested);
        return speed == null ? 1.0 : speed;
    }

    private static void stringList(Fields fields, String name) {
        ArrayNode list = fields.optionalArray(name, 3);
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) {
                    throw new ValidationFailure(Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                            .put("type", "string_type").<ObjectNode>set("loc",
                                    Json.MAPPER.createArrayNode().add("body").add(name).add(i))
                            .put("msg", "Input should be a valid string").set("input", list.get(i))));
                }
            }
        }
    }

    /** Refuses formats above the plan, as the live API does (403). */
    static void checkPlan(OutputFormat format, PlanTier plan) {
        boolean highBitrate = "mp3_44100_192".equals(format.name());
        boolean cdQualityPcm = format.sampleRate() == 44_100 && format.bitrateKbps() == 0;
        if (highBitrate && plan.compareTo(PlanTier.CREATOR) < 0) {
            throw Errors.formatNotOnPlan(format.name(), "Creator");
        }
        if (cdQualityPcm && plan.compareTo(PlanTier.PRO) < 0) {
            throw Errors.formatNotOnPlan(format.name(), "Pro");
        }
    }
}
