package dev.xigate.metrics;

/**
 * Returns how many seconds of audio a body of a given ElevenLabs output format holds, from its size.
 *
 * <p>Constant-bitrate formats only: {@code mp3_<hz>_<kbps>} and {@code opus_<hz>_<kbps>} at their bitrate,
 * {@code pcm_<hz>} as 16-bit mono, {@code ulaw_8000} and {@code alaw_8000} as 8-bit mono. The result is an estimate
 * (container headers count as audio); unknown formats give 0. Stateless.
 */
public final class AudioDurations {
    /** The format ElevenLabs uses when a request names none. */
    public static final String DEFAULT_FORMAT = "mp3_44100_128";

    private AudioDurations() {
    }

    /** Returns the seconds of audio in {@code bytes} of the format, or 0 when the format is unknown. */
    public static double seconds(String outputFormat, long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        String[] parts = (outputFormat == null || outputFormat.isBlank() ? DEFAULT_FORMAT : outputFormat).split("_");
        double bytesPerSecond;
        try {
            bytesPerSecond = switch (parts[0]) {
                case "mp3", "opus" -> parts.length == 3 ? Integer.parseInt(parts[2]) * 1000 / 8.0 : 0;
                case "pcm" -> parts.length == 2 ? Integer.parseInt(parts[1]) * 2.0 : 0;
                case "ulaw", "alaw" -> parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
                default -> 0;
            };
        } catch (NumberFormatException ignored) {
            // A format this code does not know: no estimate rather than a wrong one.
            return 0;
        }
        return bytesPerSecond > 0 ? bytes / bytesPerSecond : 0;
    }
}
