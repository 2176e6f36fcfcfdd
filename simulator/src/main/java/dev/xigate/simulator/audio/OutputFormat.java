package dev.xigate.simulator.audio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Returns the audio encoding an {@code output_format} query value asks for, such as {@code mp3_44100_128}.
 *
 * @param name the API's name of the format
 * @param codec the encoding
 * @param sampleRate samples per second
 * @param bitrateKbps the MP3 or Opus bitrate in kbit/s (0 for PCM-like codecs)
 */
public record OutputFormat(String name, Codec codec, int sampleRate, int bitrateKbps) {
    /** The format used when a request names none. */
    public static final String DEFAULT = "mp3_44100_128";
    private static final Map<String, OutputFormat> TTS = new LinkedHashMap<>();
    private static final Map<String, OutputFormat> MUSIC = new LinkedHashMap<>();

    static {
        add(TTS, "mp3_22050_32", Codec.MP3, 22_050, 32);
        add(TTS, "mp3_24000_48", Codec.MP3, 24_000, 48);
        for (int kbps : new int[] {32, 64, 96, 128, 192}) {
            add(TTS, "mp3_44100_" + kbps, Codec.MP3, 44_100, kbps);
        }
        for (int kbps : new int[] {32, 64, 96, 128, 192}) {
            add(TTS, "opus_48000_" + kbps, Codec.OPUS, 48_000, kbps);
        }
        for (int rate : new int[] {8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000}) {
            add(TTS, "pcm_" + rate, Codec.PCM, rate, 0);
        }
        for (int rate : new int[] {8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000}) {
            add(TTS, "wav_" + rate, Codec.WAV, rate, 0);
        }
        add(TTS, "ulaw_8000", Codec.ULAW, 8_000, 0);
        add(TTS, "alaw_8000", Codec.ALAW, 8_000, 0);
        MUSIC.putAll(TTS);
        add(MUSIC, "mp3_48000_128", Codec.MP3, 48_000, 128);
        add(MUSIC, "mp3_48000_192", Codec.MP3, 48_000, 192);
        // MPEG-1 Layer III has no 240 kbit/s rate: the nearest legal one (256) is encoded instead.
        add(MUSIC, "mp3_48000_240", Codec.MP3, 48_000, 256);
        add(MUSIC, "mp3_48000_320", Codec.MP3, 48_000, 320);
    }

    private static void add(Map<String, OutputFormat> map, String name, Codec codec, int rate, int kbps) {
        map.put(name, new OutputFormat(name, codec, rate, kbps));
    }

    /** Returns the format of a text-to-speech {@code output_format} value, if the API accepts it. */
    public static Optional<OutputFormat> forSpeech(String value) {
        return Optional.ofNullable(TTS.get(value.toLowerCase(Locale.ROOT)));
    }

    /** Returns the format of a music {@code output_format} value ({@code auto} included), if the API accepts it. */
    public static Optional<OutputFormat> forMusic(String value) {
        if ("auto".equalsIgnoreCase(value)) {
            return Optional.of(TTS.get(DEFAULT));
        }
        return Optional.ofNullable(MUSIC.get(value.toLowerCase(Locale.ROOT)));
    }

    /** Returns every text-to-speech format name, in the API's order. */
    public static List<String> speechNames() {
        return List.copyOf(TTS.keySet());
    }

    /** Returns every music format name. */
    public static List<String> musicNames() {
        return List.copyOf(MUSIC.keySet());
    }
}
