package dev.xigate.loadtest;

import java.util.Locale;

/** An ElevenLabs endpoint the load generator can call. */
public enum Endpoint {
    /** {@code POST /v1/text-to-speech/{voice_id}}: the whole file in one answer. */
    CONVERT("convert"),
    /** {@code POST /v1/text-to-speech/{voice_id}/stream}: chunked audio; time to first byte is recorded. */
    STREAM("stream"),
    /** {@code POST /v1/speech-to-text}: a multipart upload of a short WAV file. */
    STT("stt"),
    /** {@code WS /v1/text-to-speech/{voice_id}/stream-input}: text in, audio messages out. */
    STREAM_INPUT("stream-input");

    private final String label;

    Endpoint(String label) {
        this.label = label;
    }

    /** Returns the name used in scenario files and reports. */
    public String label() {
        return label;
    }

    /**
     * Returns the endpoint named by {@code text} ({@code stream-input}, {@code stream_input} or {@code websocket}).
     *
     * @throws IllegalArgumentException if the text names no endpoint
     */
    public static Endpoint fromLabel(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (normalized.equals("websocket") || normalized.equals("ws")) {
            return STREAM_INPUT;
        }
        for (Endpoint endpoint : values()) {
            if (endpoint.label.equals(normalized)) {
                return endpoint;
            }
        }
        throw new IllegalArgumentException("endpoint: " + text
                + " (expected: one of convert, stream, stt, stream-input)");
    }
}
