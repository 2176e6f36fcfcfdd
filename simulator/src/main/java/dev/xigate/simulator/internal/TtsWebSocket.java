package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelInfo;
import dev.xigate.simulator.audio.AudioEncoder;
import dev.xigate.simulator.audio.EncodedAudio;
import dev.xigate.simulator.audio.OutputFormat;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves the text-to-speech input-streaming WebSocket ({@code /v1/text-to-speech/{voice_id}/stream-input}): the
 * client sends text pieces, the server answers with base64 audio and character alignment, then {@code isFinal}. The
 * session holds one concurrency slot of its model's family for its whole life. One instance per connection; the
 * methods are called by the connection's thread, sends are serialised because the inactivity timer sends too.
 */
public final class TtsWebSocket implements WsListener {
    /** The route of the endpoint. */
    public static final String PATH = "/v1/text-to-speech/{voice_id}/stream-input";
    private static final int[] DEFAULT_SCHEDULE = {120, 160, 250, 290};
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "xigate-sim-ws-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final SimulatorEngine engine;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder partialFrame = new StringBuilder();
    private String voiceId;
    private String apiKey;
    private String modelId = ModelCatalog.DEFAULT_TTS_MODEL;
    private String formatName = OutputFormat.DEFAULT;
    private long inactivityMillis = 20_000;
    private int[] schedule = DEFAULT_SCHEDULE;
    private int generations;
    private long audioMillisSent;
    private ModelInfo model;
    private OutputFormat format;
    private SimulatorEngine.Admission admission;
    private ScheduledFuture<?> inactivity;
    private boolean closed;
    private boolean initialized;
    private boolean finished;

    /** Creates the listener of one connection. */
    public TtsWebSocket(SimulatorEngine engine) {
        this.engine = engine;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        String path = prologue.uriPath().path();
        String[] parts = path.split("/");
        voiceId = parts.length >= 4 ? parts[3] : "";
        var query = prologue.query();
        if (query.contains("model_id")) {
            modelId = query.get("model_id");
        }
        if (query.contains("output_format")) {
            formatName = query.get("output_format");
        }
        if (query.contains("inactivity_timeout")) {
            try {
                inactivityMillis = Math.min(180, Math.max(1, Long.parseLong(query.get("inactivity_timeout")))) * 1000;
            } catch (NumberFormatException ignored) {
                // Checked again on open, where an error message can be sent.
                inactivityMillis = -1;
            }
        }
        apiKey = headers.first(HeaderNames.create("xi-api-key")).orElse(null);
        if (apiKey == null && query.contains("authorization")) {
            apiKey = query.get("authorization");
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        engine.recorder().webSocketOpened();
        if (inactivityMillis < 0) {
            fail(session, "invalid_request", "inactivity_timeout must be an integer between 1 and 180");
            return;
        }
        if (!VoiceCatalog.exists(voiceId)) {
            fail(session, "voice_not_found", "A voice for the voice_id " + voiceId + " was not found.");
            return;
        }
        Optional<ModelInfo> found = ModelCatalog.standard().find(modelId).filter(ModelInfo::textToSpeech);
        Optional<OutputFormat> parsed = OutputFormat.forSpeech(formatName);
        if (found.isEmpty() || parsed.isEmpty()) {
            fail(session, "invalid_request", found.isEmpty() ? "A model with model ID " + modelId
                    + " does not exist." : "Unknown output_format " + formatName);
            return;
        }
        model = found.get();
        format = parsed.get();
        if (apiKey != null && !admit(session)) {
            return;
        }
        armInactivity(session);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        partialFrame.append(text);
        if (!last) {
            return;
        }
        String message = partialFrame.toString();
        partialFrame.setLength(0);
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        armInactivity(session);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            fail(session, "invalid_input_message", "The message is not valid JSON.");
            return;
        }
        if (node == null || !node.isObject() || !node.path("text").isTextual()) {
            fail(session, "invalid_input_message", "Every message needs a string field 'text'.");
            return;
        }
        handle(session, (ObjectNode) node);
    }

    private void handle(WsSession session, ObjectNode node) {
        if (!initialized) {
            // The first message opens the stream (its text is a single space): settings and key, no text to speak.
            initialized = true;
            if (admission == null) {
                String key = node.path("xi-api-key").asText(node.path("authorization").asText(""));
                apiKey = key.isEmpty() ? null : key;
                if (!admit(session)) {
                    return;
                }
            }
            readSchedule(node);
            return;
        }
        String text = node.get("text").asText();
        if (text.isEmpty()) {
            generate(session, pending.toString());
            pending.setLength(0);
            send(session, Json.MAPPER.createObjectNode().put("isFinal", true).toString());
            close(session, 1000, "");
            return;
        }
        pending.append(text);
        boolean flush = node.path("flush").asBoolean(false) || node.path("try_trigger_generation").asBoolean(false);
        int threshold = schedule[Math.min(generations, schedule.length - 1)];
        if (flush || pending.toString().trim().length() >= threshold) {
            generate(session, pending.toString());
            pending.setLength(0);
        }
    }

    private void readSchedule(ObjectNode first) {
        JsonNode config = first.path("generation_config").path("chunk_length_schedule");
        if (config.isArray() && !config.isEmpty()) {
            int[] values = new int[config.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.max(1, config.get(i).asInt(DEFAULT_SCHEDULE[0]));
            }
            schedule = values;
        }
    }

    private boolean admit(WsSession session) {
        if (apiKey == null || apiKey.isBlank()) {
            fail(session, "auth_error", "Neither authorization header nor xi-api-key received, please provide one.");
            return false;
        }
        if (!engine.config().accepts(apiKey)) {
            fail(session, "invalid_api_key", "Invalid API key");
            return false;
        }
        engine.recorder().request(model.family());
        try {
            admission = engine.admit(apiKey, model.family(), 0, Set.of());
        } catch (ApiFailure failure) {
            engine.recorder().response(model.family(), failure.httpStatus());
            fail(session, failure.error().code(), failure.error().message());
            return false;
        }
        engine.recorder().response(model.family(), 101);
        return true;
    }

    private void generate(WsSession session, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || admission == null) {
            return;
        }
        int characters = text.codePointCount(0, text.length());
        long credits = model.creditsFor(characters);
        if (!engine.quota().tryCharge(apiKey, credits)) {
            fail(session, "quota_exceeded", "This request exceeds your quota of " + engine.quota().limit() + ".");
            return;
        }
        engine.recorder().characters(model.family(), characters);
        LatencyModel latency = engine.latency();
        long delay = latency.generationNanos(model.family(), characters);
        if (generations == 0) {
            delay += latency.ttfbNanos(model.family(), admission.chaos());
        }
        SimulatorEngine.pause(delay);
        generations++;
        EncodedAudio audio = AudioEncoder.encode(format, Math.round(300 + 65.0 * characters));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("audio", Base64.getEncoder().encodeToString(audio.bytes()));
        List<Integer> codePoints = text.codePoints().boxed().toList();
        ObjectNode alignment = alignment(codePoints, audio.durationMillis(), audioMillisSent);
        out.set("alignment", alignment);
        out.set("normalizedAlignment", alignment.deepCopy());
        audioMillisSent += audio.durationMillis();
        send(session, out.toString());
    }

    private static ObjectNode alignment(List<Integer> codePoints, long durationMillis, long offsetMillis) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode chars = node.putArray("chars");
        ArrayNode starts = node.putArray("charStartTimesMs");
        ArrayNode durations = node.putArray("charDurationsMs");
        ArrayNode legacyDurations = node.putArray("charsDurationsMs");
        long each = durationMillis / Math.max(1, codePoints.size());
        for (int i = 0; i < codePoints.size(); i++) {
            chars.add(new String(Character.toChars(codePoints.get(i))));
            starts.add(offsetMillis + i * each);
            durations.add(each);
            legacyDurations.add(each);
        }
        return node;
    }

    private void armInactivity(WsSession session) {
        synchronized (this) {
            if (inactivity != null) {
                inactivity.cancel(false);
            }
            if (!closed) {
                inactivity = TIMERS.schedule(() -> fail(session, "input_timeout_exceeded",
                        "Have not received new text for " + inactivityMillis / 1000 + " seconds. Closing the "
                                + "connection."), inactivityMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void fail(WsSession session, String error, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("message", message).put("error", error).put("code", 1008);
        send(session, body.toString());
        close(session, 1008, error);
    }

    private synchronized void send(WsSession session, String text) {
        if (!closed) {
            session.send(text, true);
        }
    }

    private void close(WsSession session, int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (inactivity != null) {
                inactivity.cancel(false);
            }
        }
        session.close(code, reason);
        release();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        finish();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        finish();
    }

    /** Ends the session's bookkeeping once, whichever of close and error comes first. */
    private void finish() {
        synchronized (this) {
            closed = true;
            if (inactivity != null) {
                inactivity.cancel(false);
            }
            if (finished) {
                return;
            }
            finished = true;
        }
        release();
        engine.recorder().webSocketClosed();
    }

    private synchronized void release() {
        if (admission != null) {
            admission.close();
        }
    }
}
