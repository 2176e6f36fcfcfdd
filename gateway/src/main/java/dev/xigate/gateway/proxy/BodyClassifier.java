package dev.xigate.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the model id (and text length) from a buffered request body: the {@code model_id} field of a JSON object,
 * or the {@code model_id} part of a {@code multipart/form-data} upload. Thread-safe (stateless).
 */
public final class BodyClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private BodyClassifier() {
    }

    /**
     * Returns what a JSON body names; an empty body names nothing.
     *
     * @throws InvalidBodyException if the body is not a JSON object or its {@code model_id} is not a string
     */
    public static BodyClassification fromJson(byte[] body) throws InvalidBodyException {
        if (body.length == 0) {
            return BodyClassification.EMPTY;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("The request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (java.io.IOException e) {
            throw new InvalidBodyException("The request body could not be read as JSON", null);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidBodyException("The request body must be a JSON object", null);
        }
        JsonNode model = root.get("model_id");
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw new InvalidBodyException("model_id must be a string", "model_id");
        }
        JsonNode text = root.get("text");
        long characters = text != null && text.isTextual() ? text.asText().length() : 0;
        String modelId = model == null || model.isNull() || model.asText().isEmpty() ? null : model.asText();
        return new BodyClassification(modelId, characters);
    }

    /**
     * Returns what a multipart form names.
     *
     * @param contentType the request's content type, which carries the boundary
     * @throws InvalidBodyException if the content type is not multipart with a boundary
     */
    public static BodyClassification fromMultipart(String contentType, byte[] body) throws InvalidBodyException {
        String boundary = boundaryOf(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        if (start < 0) {
            throw new InvalidBodyException("The multipart body has no part delimited by its boundary", null);
        }
        byte[] partDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int cursor = start + delimiter.length;
        while (cursor + 2 <= body.length && body[cursor] == '\r' && body[cursor + 1] == '\n') {
            int headersEnd = indexOf(body, HEADER_END, cursor + 2);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, cursor + 2, headersEnd - cursor - 2, StandardCharsets.UTF_8);
            int contentStart = headersEnd + HEADER_END.length;
            int next = indexOf(body, partDelimiter, contentStart);
            if (next < 0) {
                break;
            }
            if (isField(headers, "model_id")) {
                String value = new String(body, contentStart, next - contentStart, StandardCharsets.UTF_8).trim();
                return new BodyClassification(value.isEmpty() ? null : value, 0);
            }
            cursor = next + partDelimiter.length;
        }
        return BodyClassification.EMPTY;
    }

    private static String boundaryOf(String contentType) throws InvalidBodyException {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new InvalidBodyException("content-type: " + contentType + " (expected: multipart/form-data)",
                    null);
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        throw new InvalidBodyException("The multipart content type names no boundary", null);
    }

    private static boolean isField(String partHeaders, String name) {
        for (String line : partHeaders.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-disposition:") && (lower.contains("name=\"" + name + "\"")
                    || lower.matches(".*;\\s*name=" + name + "\\s*(;.*)?"))) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] data, byte[] target, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - target.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (data[i + j] != target[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
