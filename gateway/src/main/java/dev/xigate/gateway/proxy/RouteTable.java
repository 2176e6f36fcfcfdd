package dev.xigate.gateway.proxy;

import dev.xigate.gateway.proxy.Route.ModelSource;
import dev.xigate.plan.ModelCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allowlist of the ElevenLabs paths the gateway forwards: anything else is answered 404 by the gateway itself,
 * so it is never an open proxy. Thread-safe (immutable).
 */
public final class RouteTable {
    private static final String TTS_MODEL = ModelCatalog.DEFAULT_TTS_MODEL;
    private static final ModelSource JSON = ModelSource.JSON_BODY;
    private static final ModelSource FORM = ModelSource.MULTIPART_FORM;
    private static final ModelSource NONE = ModelSource.NONE;

    private static final RouteTable STANDARD = new RouteTable(List.of(
            new Route("POST", "/v1/text-to-speech/{voice_id}", "text_to_speech", JSON, TTS_MODEL),
            new Route("POST", "/v1/text-to-speech/{voice_id}/stream", "text_to_speech_stream", JSON, TTS_MODEL),
            new Route("POST", "/v1/text-to-speech/{voice_id}/with-timestamps", "text_to_speech_timestamps", JSON,
                    TTS_MODEL),
            new Route("POST", "/v1/text-to-speech/{voice_id}/stream/with-timestamps",
                    "text_to_speech_stream_timestamps", JSON, TTS_MODEL),
            new Route("POST", "/v1/text-to-dialogue", "text_to_dialogue", JSON, "eleven_v3"),
            new Route("POST", "/v1/text-to-dialogue/stream", "text_to_dialogue_stream", JSON, "eleven_v3"),
            new Route("POST", "/v1/speech-to-speech/{voice_id}", "speech_to_speech", FORM,
                    "eleven_multilingual_sts_v2"),
            new Route("POST", "/v1/speech-to-speech/{voice_id}/stream", "speech_to_speech_stream", FORM,
                    "eleven_multilingual_sts_v2"),
            new Route("POST", "/v1/speech-to-text", "speech_to_text", FORM, "scribe_v1"),
            new Route("POST", "/v1/sound-generation", "sound_generation", JSON, ModelCatalog.DEFAULT_SOUND_MODEL),
            new Route("POST", "/v1/music", "music", JSON, ModelCatalog.DEFAULT_MUSIC_MODEL),
            new Route("POST", "/v1/music/stream", "music_stream", JSON, ModelCatalog.DEFAULT_MUSIC_MODEL),
            new Route("POST", "/v1/music/detailed", "music_detailed", JSON, ModelCatalog.DEFAULT_MUSIC_MODEL),
            new Route("POST", "/v1/music/plan", "music_plan", NONE, null),
            new Route("GET", "/v1/models", "models", NONE, null),
            new Route("GET", "/v1/voices", "voices", NONE, null),
            new Route("GET", "/v2/voices", "voices_v2", NONE, null),
            new Route("GET", "/v1/voices/{voice_id}", "voice", NONE, null),
            new Route("GET", "/v1/user", "user", NONE, null),
            new Route("GET", "/v1/user/subscription", "subscription", NONE, null),
            new Route("GET", "/v1/history", "history", NONE, null),
            new Route("GET", "/v1/history/{history_item_id}", "history_item", NONE, null),
            new Route("DELETE", "/v1/history/{history_item_id}", "history_delete", NONE, null),
            new Route("GET", "/v1/history/{history_item_id}/audio", "history_audio", NONE, null),
            new Route("POST", "/v1/history/download", "history_download", NONE, null),
            new Route("GET", "/v1/usage/character-stats", "usage", NONE, null),
            new Route("GET", "/v1/speech-to-text/transcripts/{transcription_id}", "transcript", NONE, null),
            new Route("DELETE", "/v1/speech-to-text/transcripts/{transcription_id}", "transcript_delete", NONE,
                    null)));

    /** The TTS input-streaming WebSocket, passed through with a permit of its family for its whole life. */
    public static final Route STREAM_INPUT = new Route("GET", "/v1/text-to-speech/{voice_id}/stream-input",
            "text_to_speech_websocket", ModelSource.QUERY, TTS_MODEL);

    private final List<Route> routes;
    private final Map<String, List<Route>> byMethod;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, List<Route>> map = new HashMap<>();
        for (Route route : routes) {
            map.computeIfAbsent(route.method(), key -> new ArrayList<>()).add(route);
        }
        map.replaceAll((method, list) -> List.copyOf(list));
        this.byMethod = Map.copyOf(map);
    }

    /** Returns the ElevenLabs routes the gateway forwards. */
    public static RouteTable standard() {
        return STANDARD;
    }

    /** Returns a table of the given routes (tests, embedders with a narrower allowlist). */
    public static RouteTable of(List<Route> routes) {
        return new RouteTable(routes);
    }

    /** Returns every route. */
    public List<Route> routes() {
        return routes;
    }

    /** Returns the route a method and a (decoded) path match, if any. */
    public Optional<Route> match(String method, String path) {
        List<Route> candidates = byMethod.get(method);
        if (candidates == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = path.substring(1).split("/", -1);
        for (Route route : candidates) {
            if (matches(route.segments(), parts)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(List<String> pattern, String[] parts) {
        if (pattern.size() != parts.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String expected = pattern.get(i);
            boolean variable = expected.startsWith("{");
            if (variable ? !isSafeSegment(parts[i]) : !expected.equals(parts[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSafeSegment(String segment) {
        // An id segment is never empty and never a dot-segment, so a path cannot climb out of its route upstream.
        return !segment.isEmpty() && !".".equals(segment) && !"..".equals(segment);
    }
}
