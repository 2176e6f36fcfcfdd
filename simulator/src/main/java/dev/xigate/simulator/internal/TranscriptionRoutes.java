package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.audio.AudioProbe;
import io.helidon.http.HeaderNames;
import java.util.List;

/**
 * Handles batch speech-to-text ({@code POST /v1/speech-to-text}, multipart). The simulator cannot recognise speech:
 * it answers a deterministic placeholder transcript whose length and word timings follow the audio's duration.
 */
final class TranscriptionRoutes {
    private static final List<String> WORDS = List.of("this", "is", "a", "simulated", "transcript", "from", "the",
            "xigate", "simulator");
    private static final double WORDS_PER_SECOND = 2.5;
    private static final double URL_AUDIO_SECONDS = 10.0;

    private TranscriptionRoutes() {
    }

    static void transcribe(Exchange exchange) {
        exchange.family(ModelFamily.STT);
        String apiKey = exchange.apiKey();
        byte[] body = exchange.bodyBytes();
        String contentType = exchange.request().headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        Multipart form = Multipart.parse(contentType, body);
        Fields fields = Fields.ofText("body", form::text);
        String modelId = fields.requiredString("model_id");
        fields.optionalString("language_code");
        fields.optionalBoolean("tag_audio_events");
        fields.optionalLong("num_speakers", 1, 32);
        fields.optionalEnum("timestamps_granularity", List.of("none", "word", "character"));
        fields.optionalBoolean("diarize");
        fields.optionalDouble("diarization_threshold", 0.1, 0.4);
        String fileFormat = fields.optionalEnum("file_format", List.of("pcm_s16le_16", "other"));
        Boolean webhook = fields.optionalBoolean("webhook");
        fields.optionalDouble("temperature", 0, 2);
        fields.optionalLong("seed", 0, 2_147_483_647L);
        fields.optionalBoolean("use_multi_channel");
        Fields query = Fields.ofText("query", exchange::query);
        query.optionalBoolean("enable_logging");
        fields.addAll(query);
        fields.throwIfInvalid();

        if (ModelCatalog.standard().familyOf(modelId) != ModelFamily.STT || !modelId.startsWith("scribe_v")) {
            throw Errors.modelNotFound(modelId);
        }
        Multipart.Part file = form.part("file");
        String url = form.text("source_url") != null ? form.text("source_url") : form.text("cloud_storage_url");
        if ((file == null) == (url == null)) {
            throw Errors.invalidParameters(file == null ? "file" : "source_url",
                    "Exactly one of file, source_url or cloud_storage_url must be provided.");
        }
        double seconds = file != null ? AudioProbe.seconds(file.data(), "pcm_s16le_16".equals(fileFormat))
                : URL_AUDIO_SECONDS;
        if (Boolean.TRUE.equals(webhook)) {
            exchange.sendJson(202, Json.MAPPER.createObjectNode().put("message", "Request accepted. The result "
                    + "will be sent to your webhook.").put("request_id", exchange.requestId())
                    .put("transcription_id", Ids.requestId()));
            return;
        }
        try (SimulatorEngine.Admission admission = exchange.admit(apiKey, 0,
                SpeechRoutes.JSON_FAULTS)) {
            LatencyModel latency = exchange.engine().latency();
            SimulatorEngine.pause(latency.ttfbNanos(ModelFamily.STT, admission.chaos())
                    + latency.generationNanos(ModelFamily.STT, seconds));
            exchange.sendJson(200, transcript(seconds));
        }
    }

    private static ObjectNode transcript(double seconds) {
        int wordCount = (int) Math.max(1, Math.round(seconds * WORDS_PER_SECOND));
        double slot = seconds / wordCount;
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("language_code", "eng");
        body.put("language_probability", 0.98);
        ArrayNode words = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < wordCount; i++) {
            String word = WORDS.get(i % WORDS.size());
            double start = round(i * slot);
            double end = round(i * slot + slot * 0.8);
            if (i > 0) {
                text.append(' ');
                words.addObject().put("text", " ").put("start", round(i * slot - slot * 0.2)).put("end", start)
                        .put("type", "spacing").put("speaker_id", "speaker_0").put("logprob", 0.0);
            }
            text.append(word);
            words.addObject().put("text", word).put("start", start).put("end", end).put("type", "word")
                    .put("speaker_id", "speaker_0").put("logprob", -0.05);
        }
        body.put("text", text.toString());
        body.set("words", words);
        body.put("transcription_id", Ids.requestId());
        body.put("audio_duration_secs", round(seconds));
        return body;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
