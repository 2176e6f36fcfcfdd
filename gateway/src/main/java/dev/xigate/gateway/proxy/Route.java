package dev.xigate.gateway.proxy;

import java.util.List;
import java.util.Objects;

/**
 * One allowlisted method and path pattern of the ElevenLabs API.
 *
 * @param method the HTTP method
 * @param pattern the path, with {@code {name}} for one variable segment ({@code /v1/voices/{voice_id}})
 * @param endpoint the stable name used in logs and metrics ({@code text_to_speech_stream})
 * @param modelSource where the model id is read from; {@link ModelSource#NONE} means the request needs no
 *     upstream slot (metadata: voices, models, user, history)
 * @param defaultModel the model the upstream uses when the request names none ({@code null} for NONE)
 */
public record Route(String method, String pattern, String endpoint, ModelSource modelSource, String defaultModel) {

    /** Where a route's model id comes from. */
    public enum ModelSource {
        /** The route does no generation: no model, no permit. */
        NONE,
        /** The {@code model_id} field of a JSON body. */
        JSON_BODY,
        /** The {@code model_id} field of a {@code multipart/form-data} body. */
        MULTIPART_FORM,
        /** The {@code model_id} query parameter (WebSocket routes). */
        QUERY
    }

    /** Creates a route. */
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(modelSource, "modelSource");
        if (modelSource != ModelSource.NONE && defaultModel == null) {
            throw new IllegalArgumentException("defaultModel: null (expected: a model id for " + pattern + ")");
        }
    }

    /** Returns the pattern's segments. */
    List<String> segments() {
        return List.of(pattern.substring(1).split("/", -1));
    }
}
