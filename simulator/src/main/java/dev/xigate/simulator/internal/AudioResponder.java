package dev.xigate.simulator.internal;

import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.audio.EncodedAudio;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Sends generated audio the way the live API does: a whole body with {@code content-length} once generation is done,
 * or a chunked stream whose first bytes leave after the time to first byte and whose chunks are paced like
 * generation. Applies an admitted request's mid-stream fault (stall or reset) half-way through the body.
 */
final class AudioResponder {
    private static final long CHUNK_AUDIO_MILLIS = 500;
    private static final int MAX_CHUNKS = 64;

    private AudioResponder() {
    }

    /** Returns a sensible number of stream chunks for audio of this length. */
    static int chunkCount(long audioMillis) {
        return (int) Math.max(2, Math.min(MAX_CHUNKS, (audioMillis + CHUNK_AUDIO_MILLIS - 1) / CHUNK_AUDIO_MILLIS));
    }

    /** Sends the whole body after {@code ttfbNanos + generationNanos}. */
    static void sendWhole(Exchange exchange, SimulatorEngine.Admission admission, EncodedAudio audio,
            long ttfbNanos, long generationNanos) {
        SimulatorEngine.pause(ttfbNanos + generationNanos);
        ServerResponse response = exchange.response();
        response.header("Content-Type", audio.contentType());
        FaultKind fault = admission.streamFault();
        exchange.record(200);
        if (fault == null) {
            response.send(audio.bytes());
            return;
        }
        response.header("Content-Length", Integer.toString(audio.length()));
        List<byte[]> halves = audio.chunks(2);
        writeThenFail(exchange, admission, List.of(halves.get(0)), fault);
    }

    /** Streams the body in chunks: the first after {@code ttfbNanos}, the rest spread over the generation time. */
    static void stream(Exchange exchange, SimulatorEngine.Admission admission, List<byte[]> chunks,
            String contentType, long ttfbNanos, long generationNanos) {
        SimulatorEngine.pause(ttfbNanos);
        ServerResponse response = exchange.response();
        response.header("Content-Type", contentType);
        exchange.record(200);
        FaultKind fault = admission.streamFault();
        int stopAfter = fault == null ? chunks.size() : Math.max(1, chunks.size() / 2);
        long gapNanos = chunks.size() > 1 ? generationNanos / (chunks.size() - 1) : 0;
        // Not try-with-resources: closing would end the chunked body cleanly, which a mid-stream fault must not do.
        OutputStream out = response.outputStream();
        try {
            for (int i = 0; i < stopAfter; i++) {
                if (i > 0) {
                    SimulatorEngine.pause(gapNanos);
                }
                out.write(chunks.get(i));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away: nothing more to send; the caller releases the slot.
            throw new ResetException();
        }
        if (fault != null) {
            failMidway(admission, fault);
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new ResetException();
        }
    }

    private static void writeThenFail(Exchange exchange, SimulatorEngine.Admission admission, List<byte[]> pieces,
            FaultKind fault) {
        try {
            OutputStream out = exchange.response().outputStream();
            for (byte[] piece : pieces) {
                out.write(piece);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        failMidway(admission, fault);
    }

    private static void failMidway(SimulatorEngine.Admission admission, FaultKind fault) {
        if (fault == FaultKind.STREAM_STALL) {
            SimulatorEngine.pause(admission.chaos().stall().toNanos());
        }
        throw new ResetException();
    }
}
