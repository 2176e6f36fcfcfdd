package dev.xigate.loadtest;

/**
 * One request the generator is about to send.
 *
 * @param sequence the request's number in the run, from 0
 * @param endpoint which endpoint it calls
 * @param modelId the model id sent in the body or query
 * @param priority the {@code x-xigate-priority} header value, or {@code null} to send none
 * @param clientName the scenario client's label (for reports; never the key)
 * @param apiKey the key sent as {@code xi-api-key}
 * @param voiceId the voice of text-to-speech calls
 * @param text the text to speak (unique per request, so no cache or coalescing can answer it)
 */
public record PlannedRequest(
        long sequence,
        Endpoint endpoint,
        String modelId,
        String priority,
        String clientName,
        String apiKey,
        String voiceId,
        String text) {

    @Override
    public String toString() {
        return "PlannedRequest[sequence=" + sequence + ", endpoint=" + endpoint.label() + ", model=" + modelId
                + ", priority=" + priority + ", client=" + clientName + ", chars=" + text.length() + "]";
    }
}
