package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.audio.AudioEncoder;
import dev.xigate.simulator.audio.EncodedAudio;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Handles the four text-to-speech endpoints: convert, stream, with-timestamps and stream/with-timestamps. */
final class SpeechRoutes {
    static final Set<FaultKind> AUDIO_FAULTS = EnumSet.allOf(FaultKind.class);
    static final Set<FaultKind> JSON_FAULTS = EnumSet.complementOf(
            EnumSet.of(FaultKind.STREAM_STALL, FaultKind.STREAM_RESET));

    private SpeechRoutes() {
    }

    static void convert(Exchange exchange) {
        SpeechRequest speech = SpeechRequest.parse(exchange);
        try (SimulatorEngine.Admission admission = admit(exchange, speech, AUDIO_FAULTS)) {
            EncodedAudio audio = AudioEncoder.encode(speech.format(), speech.audioMillis());
            long ttfb = ttfb(exchange, admission);
            long generation = generation(exchange, speech);
            exchange.response().header("tts-latency-ms", Long.toString((ttfb + generation) / 1_000_000));
            AudioResponder.sendWhole(exchange, admission, audio, ttfb, generation);
        }
    }

    static void stream(Exchange exchange) {
        SpeechRequest speech = SpeechRequest.parse(exchange);
        try (SimulatorEngine.Admission admission = admit(exchange, speech, AUDIO_FAULTS)) {
            EncodedAudio audio = AudioEncoder.encode(speech.format(), speech.audioMillis());
            List<byte[]> chunks = audio.chunks(AudioResponder.chunkCount(audio.durationMillis()));
            AudioResponder.stream(exchange, admission, chunks, audio.contentType(), ttfb(exchange, admission),
                    generation(exchange, speech));
        }
    }

    static void withTimestamps(Exchange exchange) {
        SpeechRequest speech = SpeechRequest.parse(exchange);
        try (SimulatorEngine.Admission admission = admit(exchange, speech, JSON_FAULTS)) {
            EncodedAudio audio = AudioEncoder.encode(speech.format(), speech.audioMillis());
            SimulatorEngine.pause(ttfb(exchange, admission) + generation(exchange, speech));
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("audio_base64", Base64.getEncoder().encodeToString(audio.bytes()));
            List<Integer> all = codePoints(speech.text());
            double perChar = audio.durationMillis() / 1000.0 / Math.max(1, all.size());
            body.set("alignment", alignment(all, 0, all.size(), perChar));
            body.set("normalized_alignment", alignment(all, 0, all.size(), perChar));
            exchange.sendJson(200, body);
        }
    }

    static void streamWithTimestamps(Exchange exchange) {
        SpeechRequest speech = SpeechRequest.parse(exchange);
        try (SimulatorEngine.Admission admission = admit(exchange, speech, AUDIO_FAULTS)) {
            EncodedAudio audio = AudioEncoder.encode(speech.format(), speech.audioMillis());
            List<byte[]> chunks = audio.chunks(AudioResponder.chunkCount(audio.durationMillis()));
            List<Integer> all = codePoints(speech.text());
            double perChar = audio.durationMillis() / 1000.0 / Math.max(1, all.size());
            List<byte[]> lines = new ArrayList<>(chunks.size());
            int charStart = 0;
            for (int i = 0; i < chunks.size(); i++) {
                int charEnd = (int) Math.round((double) all.size() * (i + 1) / chunks.size());
                ObjectNode line = Json.MAPPER.createObjectNode();
                line.put("audio_base64", Base64.getEncoder().encodeToString(chunks.get(i)));
                line.set("alignment", alignment(all, charStart, charEnd, perChar));
                line.set("normalized_alignment", alignment(all, charStart, charEnd, perChar));
                lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
                charStart = charEnd;
            }
            AudioResponder.stream(exchange, admission, lines, "application/json", ttfb(exchange, admission),
                    generation(exchange, speech));
        }
    }

    private static SimulatorEngine.Admission admit(Exchange exchange, SpeechRequest speech, Set<FaultKind> faults) {
        ModelFamily family = speech.model().family();
        long credits = speech.model().creditsFor(speech.characters());
        SimulatorEngine.Admission admission = exchange.admit(speech.apiKey(), credits, faults);
        exchange.engine().recorder().characters(family, speech.characters());
        ServerResponse response = exchange.response();
        response.header("character-cost", Long.toString(credits));
        response.header("current-concurrent-requests", Integer.toString(admission.inUse()));
        response.header("maximum-concurrent-requests", Integer.toString(admission.limit()));
        response.header("history-item-id", Ids.requestId());
        return admission;
    }

    private static long ttfb(Exchange exchange, SimulatorEngine.Admission admission) {
        return exchange.engine().latency().ttfbNanos(exchange.family(), admission.chaos());
    }

    private static long generation(Exchange exchange, SpeechRequest speech) {
        return exchange.engine().latency().generationNanos(exchange.family(), speech.characters());
    }

    static List<Integer> codePoints(String text) {
        return text.codePoints().boxed().toList();
    }

    /** Returns the alignment of characters {@code [from, to)}, each lasting {@code perChar} seconds from 0. */
    static ObjectNode alignment(List<Integer> codePoints, int from, int to, double perChar) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode characters = node.putArray("characters");
        ArrayNode starts = node.putArray("character_start_times_seconds");
        ArrayNode ends = node.putArray("character_end_times_seconds");
        for (int i = from; i < to; i++) {
            characters.add(new String(Character.toChars(codePoints.get(i))));
            starts.add(round(i * perChar));
            ends.add(round((i + 1) * perChar));
        }
        return node;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
