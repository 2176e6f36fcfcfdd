package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.audio.AudioEncoder;
import dev.xigate.simulator.audio.EncodedAudio;
import dev.xigate.simulator.audio.OutputFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles sound effects ({@code POST /v1/sound-generation}) and music ({@code POST /v1/music},
 * {@code /v1/music/stream}).
 *
 * <p>Sound effects are billed per generation as observed on the live API: about 5.4 credits per second, 27 when no
 * duration is given (the model then picks 5 s here). Music pricing is not known, so music is not charged.
 */
final class SoundRoutes {
    private static final double SOUND_CREDITS_PER_SECOND = 5.4;
    private static final double DEFAULT_SOUND_SECONDS = 5.0;
    private static final long DEFAULT_MUSIC_MILLIS = 30_000;

    private SoundRoutes() {
    }

    static void soundEffect(Exchange exchange) {
        exchange.family(ModelFamily.DEFAULT);
        String apiKey = exchange.apiKey();
        ObjectNode body = exchange.jsonBody();
        Fields fields = Fields.ofBody(body);
        String text = fields.requiredString("text");
        fields.optionalBoolean("loop");
        Double duration = fields.optionalDouble("duration_seconds", 0.5, 30);
        fields.optionalDouble("prompt_influence", 0, 1);
        String modelId = fields.optionalString("model_id");
        Fields query = Fields.ofText("query", exchange::query);
        List<String> formats = OutputFormat.speechNames().stream().filter(name -> !name.startsWith("wav_")).toList();
        String formatName = query.optionalEnum("output_format", formats);
        fields.addAll(query);
        fields.throwIfInvalid();
        String model = modelId == null ? ModelCatalog.DEFAULT_SOUND_MODEL : modelId;
        if (!ModelCatalog.DEFAULT_SOUND_MODEL.equals(model)) {
            throw Errors.modelNotFound(model);
        }
        OutputFormat format = OutputFormat.forSpeech(formatName == null ? OutputFormat.DEFAULT : formatName)
                .orElseThrow();
        SpeechRequest.checkPlan(format, exchange.engine().config().plan());
        double seconds = duration == null ? DEFAULT_SOUND_SECONDS : duration;
        long credits = (long) Math.ceil(seconds * SOUND_CREDITS_PER_SECOND);
        try (SimulatorEngine.Admission admission = exchange.admit(apiKey, credits,
                SpeechRoutes.AUDIO_FAULTS)) {
            exchange.engine().recorder().characters(ModelFamily.DEFAULT, text.length());
            // The live API sends only character-cost here: no concurrency headers.
            exchange.response().header("character-cost", Long.toString(credits));
            EncodedAudio audio = AudioEncoder.encode(format, Math.round(seconds * 1000));
            LatencyModel latency = exchange.engine().latency();
            AudioResponder.sendWhole(exchange, admission, audio, latency.ttfbNanos(ModelFamily.DEFAULT,
                    admission.chaos()), latency.generationNanos(ModelFamily.DEFAULT, seconds));
        }
    }

    static void music(Exchange exchange) {
        generateMusic(exchange, false);
    }

    static void musicStream(Exchange exchange) {
        generateMusic(exchange, true);
    }

    private static void generateMusic(Exchange exchange, boolean streaming) {
        exchange.family(ModelFamily.MUSIC);
        String apiKey = exchange.apiKey();
        ObjectNode body = exchange.jsonBody();
        Fields fields = Fields.ofBody(body);
        String prompt = fields.optionalString("prompt");
        ObjectNode plan = fields.optionalObject("composition_plan");
        Long lengthMillis = fields.optionalLong("music_length_ms", 3_000, 600_000);
        String modelId = fields.optionalString("model_id");
        fields.optionalLong("seed", 0, 2_147_483_647L);
        fields.optionalBoolean("force_instrumental");
        fields.optionalBoolean("respect_sections_durations");
        fields.optionalBoolean("store_for_inpainting");
        fields.optionalBoolean("sign_with_c2pa");
        Fields query = Fields.ofText("query", exchange::query);
        String formatName = query.optionalEnum("output_format", musicFormats());
        fields.addAll(query);
        fields.throwIfInvalid();
        if ((prompt == null) == (plan == null)) {
            throw Errors.invalidParameters(prompt == null ? "prompt" : "composition_plan",
                    "Exactly one of prompt and composition_plan must be provided.");
        }
        String model = modelId == null ? ModelCatalog.DEFAULT_MUSIC_MODEL : modelId;
        if (ModelCatalog.standard().familyOf(model) != ModelFamily.MUSIC) {
            throw Errors.modelNotFound(model);
        }
        OutputFormat format = OutputFormat.forMusic(formatName == null ? "auto" : formatName).orElseThrow();
        long millis = lengthMillis != null ? lengthMillis : planMillis(plan);
        try (SimulatorEngine.Admission admission = exchange.admit(apiKey, 0,
                SpeechRoutes.AUDIO_FAULTS)) {
            exchange.engine().recorder().characters(ModelFamily.MUSIC, prompt == null ? 0 : prompt.length());
            exchange.response().header("song-id", Ids.requestId());
            EncodedAudio audio = AudioEncoder.encode(format, millis);
            LatencyModel latency = exchange.engine().latency();
            long ttfb = latency.ttfbNanos(ModelFamily.MUSIC, admission.chaos());
            long generation = latency.generationNanos(ModelFamily.MUSIC, millis / 1000.0);
            if (streaming) {
                AudioResponder.stream(exchange, admission, audio.chunks(AudioResponder.chunkCount(millis)),
                        audio.contentType(), ttfb, generation);
            } else {
                AudioResponder.sendWhole(exchange, admission, audio, ttfb, generation);
            }
        }
    }

    private static List<String> musicFormats() {
        List<String> names = new ArrayList<>(OutputFormat.musicNames());
        names.add(0, "auto");
        return names;
    }

    private static long planMillis(ObjectNode plan) {
        if (plan == null || !plan.path("sections").isArray()) {
            return DEFAULT_MUSIC_MILLIS;
        }
        long total = 0;
        for (var section : plan.get("sections")) {
            total += Math.max(0, section.path("duration_ms").asLong(0));
        }
        return total > 0 ? Math.min(total, 600_000) : DEFAULT_MUSIC_MILLIS;
    }
}
