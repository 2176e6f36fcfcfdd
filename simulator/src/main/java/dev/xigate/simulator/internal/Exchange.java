package dev.xigate.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.FaultKind;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Returns one request and its answer, with the ids the live API puts on every response and the statistics each
 * answer is counted in. Not thread-safe: one per request.
 */
final class Exchange {
    private static final String EXPOSED = "request-id, history-item-id, character-cost, current-concurrent-requests,"
            + " maximum-concurrent-requests";
    private final ServerRequest request;
    private final ServerResponse response;
    private final SimulatorEngine engine;
    private final String requestId = Ids.requestId();
    private final String traceId = Ids.traceId();
    private ModelFamily family;
    private boolean counted;

    Exchange(ServerRequest request, ServerResponse response, SimulatorEngine engine) {
        this.request = request;
        this.response = response;
        this.engine = engine;
        response.header("request-id", requestId);
        response.header("x-trace-id", traceId);
        response.header("x-region", "us-central1");
        response.header("access-control-allow-origin", "*");
        response.header("access-control-expose-headers", EXPOSED);
    }

    ServerRequest request() {
        return request;
    }

    ServerResponse response() {
        return response;
    }

    SimulatorEngine engine() {
        return engine;
    }

    String requestId() {
        return requestId;
    }

    /** Sets the family this request is counted in; the last value before it is counted wins. */
    void family(ModelFamily value) {
        if (!counted) {
            family = value;
        }
    }

    /** Counts the request in its family's statistics, once; does nothing while no family is known. */
    void countRequest() {
        if (!counted && family != null) {
            counted = true;
            engine.recorder().request(family);
        }
    }

    /** Counts the request, then asks the engine for a generation slot (see {@link SimulatorEngine#admit}). */
    SimulatorEngine.Admission admit(String apiKey, long credits, Set<FaultKind> faults) {
        countRequest();
        return engine.admit(apiKey, family, credits, faults);
    }

    ModelFamily family() {
        return family;
    }

    /** Returns the caller's API key, or throws the live API's 401. */
    String apiKey() {
        String key = request.headers().first(HeaderNames.create("xi-api-key")).orElse("").trim();
        if (key.isEmpty()) {
            throw Errors.missingKey();
        }
        if (!engine.config().accepts(key)) {
            throw Errors.invalidKey();
        }
        return key;
    }

    String pathParam(String name) {
        return request.path().pathParameters().get(name);
    }

    String query(String name) {
        return request.query().contains(name) ? request.query().get(name) : null;
    }

    /** Returns the request body, at most the configured size (else 413). */
    byte[] bodyBytes() {
        long limit = engine.config().maxBodyBytes();
        long declared = request.headers().contentLength().orElse(-1L);
        if (declared > limit) {
            throw Errors.payloadTooLarge(limit);
        }
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw Errors.payloadTooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the body as a JSON object, or throws FastAPI's 422 (json_invalid, missing, model_attributes_type). */
    ObjectNode jsonBody() {
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            throw new ValidationFailure(Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                    .put("type", "missing").<ObjectNode>set("loc", Json.MAPPER.createArrayNode().add("body"))
                    .put("msg", "Field required").putNull("input")));
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset());
            ObjectNode entry = Json.MAPPER.createObjectNode().put("type", "json_invalid");
            entry.putArray("loc").add("body").add(offset);
            entry.put("msg", "JSON decode error");
            entry.putObject("input");
            entry.putObject("ctx").put("error", e.getOriginalMessage());
            throw new ValidationFailure(Json.MAPPER.createArrayNode().add(entry));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || !tree.isObject()) {
            ObjectNode entry = Json.MAPPER.createObjectNode().put("type", "model_attributes_type");
            entry.putArray("loc").add("body");
            entry.put("msg", "Input should be a valid dictionary or object to extract fields from");
            entry.set("input", tree == null ? Json.MAPPER.nullNode() : tree);
            throw new ValidationFailure(Json.MAPPER.createArrayNode().add(entry));
        }
        return (ObjectNode) tree;
    }

    void record(int status) {
        countRequest();
        if (family != null) {
            engine.recorder().response(family, status);
        }
    }

    void sendJson(int status, JsonNode body) {
        record(status);
        response.status(status);
        response.header("Content-Type", "application/json");
        response.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    void fail(SimFailure failure) {
        for (Map.Entry<String, String> header : failure.headers().entrySet()) {
            response.header(header.getKey(), header.getValue());
        }
        sendJson(failure.httpStatus(), failure.body(traceId));
    }
}
