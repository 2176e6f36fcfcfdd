package dev.xigate.simulator.audio;

import java.io.ByteArrayOutputStream;

/**
 * Creates valid audio of a given length in any {@link OutputFormat}: silent MPEG Layer III frames for MP3, a quiet
 * 440 Hz tone for PCM, WAV and G.711, and Ogg Opus with empty (silent) frames. Stateless and thread-safe.
 */
public final class AudioEncoder {
    private static final double TONE_HZ = 440.0;
    private static final double TONE_AMPLITUDE = 3_000.0;
    private static final int PCM_CUT_MILLIS = 20;

    private AudioEncoder() {
    }

    /** Returns audio of at least {@code durationMillis} (rounded up to whole frames) in the given format. */
    public static EncodedAudio encode(OutputFormat format, long durationMillis) {
        long millis = Math.max(1, durationMillis);
        return switch (format.codec()) {
            case MP3 -> Mp3Frames.encode(format.sampleRate(), format.bitrateKbps(), millis);
            case OPUS -> OggOpus.encode(millis);
            case PCM -> pcmLike(format, millis, false);
            case WAV -> pcmLike(format, millis, true);
            case ULAW, ALAW -> g711(format, millis);
        };
    }

    private static EncodedAudio pcmLike(OutputFormat format, long millis, boolean wavHeader) {
        int rate = format.sampleRate();
        int samples = (int) Math.ceil(millis * rate / 1000.0);
        int headerBytes = wavHeader ? 44 : 0;
        byte[] out = new byte[headerBytes + samples * 2];
        if (wavHeader) {
            writeWavHeader(out, rate, samples * 2);
        }
        for (int i = 0; i < samples; i++) {
            short value = toneSample(i, rate);
            out[headerBytes + 2 * i] = (byte) value;
            out[headerBytes + 2 * i + 1] = (byte) (value >> 8);
        }
        int samplesPerCut = rate * PCM_CUT_MILLIS / 1000;
        return new EncodedAudio(out, cuts(headerBytes, out.length, samplesPerCut * 2), millisOf(samples, rate),
                format.codec().contentType());
    }

    private static EncodedAudio g711(OutputFormat format, long millis) {
        int rate = format.sampleRate();
        int samples = (int) Math.ceil(millis * rate / 1000.0);
        byte[] out = new byte[samples];
        boolean ulaw = format.codec() == Codec.ULAW;
        for (int i = 0; i < samples; i++) {
            short value = toneSample(i, rate);
            out[i] = ulaw ? G711.linearToUlaw(value) : G711.linearToAlaw(value);
        }
        return new EncodedAudio(out, cuts(0, out.length, rate * PCM_CUT_MILLIS / 1000), millisOf(samples, rate),
                format.codec().contentType());
    }

    private static short toneSample(int index, int rate) {
        return (short) Math.round(TONE_AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * index / rate));
    }

    static int[] cuts(int first, int end, int step) {
        int count = Math.max(0, (end - first + step - 1) / step);
        int[] points = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = first + i * step;
        }
        return points;
    }

    static long millisOf(long samples, int rate) {
        return samples * 1000 / rate;
    }

    private static void writeWavHeader(byte[] out, int rate, int dataBytes) {
        ByteArrayOutputStream header = new ByteArrayOutputStream(44);
        header.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
        writeIntLe(header, 36 + dataBytes);
        header.writeBytes(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
        writeIntLe(header, 16);
        writeShortLe(header, 1);
        writeShortLe(header, 1);
        writeIntLe(header, rate);
        writeIntLe(header, rate * 2);
        writeShortLe(header, 2);
        writeShortLe(header, 16);
        header.writeBytes(new byte[] {'d', 'a', 't', 'a'});
        writeIntLe(header, dataBytes);
        System.arraycopy(header.toByteArray(), 0, out, 0, 44);
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >> 8);
        out.write(value >> 16);
        out.write(value >> 24);
    }

    private static void writeShortLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >> 8);
    }
}
