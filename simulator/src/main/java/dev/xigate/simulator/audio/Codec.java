package dev.xigate.simulator.audio;

/** An audio container or encoding the simulator can produce. */
public enum Codec {
    /** MPEG audio Layer III. */
    MP3("audio/mpeg"),
    /** Raw signed 16-bit little-endian mono samples. */
    PCM("audio/pcm"),
    /** A RIFF/WAVE file holding 16-bit mono PCM. */
    WAV("audio/wav"),
    /** G.711 mu-law, 8 kHz mono. */
    ULAW("audio/basic"),
    /** G.711 A-law, 8 kHz mono. */
    ALAW("audio/alaw"),
    /** Opus in an Ogg container. */
    OPUS("audio/ogg");

    private final String contentType;

    Codec(String contentType) {
        this.contentType = contentType;
    }

    /** Returns the content type the simulator answers with for this codec. */
    public String contentType() {
        return contentType;
    }
}
