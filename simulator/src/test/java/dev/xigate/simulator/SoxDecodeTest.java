package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoxDecodeTest {
    private static final Pattern LENGTH = Pattern.compile("Length \\(seconds\\):\\s+([0-9.]+)");
    private static Simulator sim;
    private static SimHttp http;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimulatorConfig.builder().latencyScale(0).build());
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void convertedMp3DecodesWithADurationThatGrowsWithText() throws Exception {
        String sox = ExternalTools.require("sox", "apt-get install sox libsox-fmt-mp3");

        double shortSeconds = decode(sox, speech("/v1/text-to-speech/%s", "Hello.", "mp3_44100_128"), "mp3");
        double longSeconds = decode(sox, speech("/v1/text-to-speech/%s", "Hello. ".repeat(40), "mp3_44100_128"),
                "mp3");

        assertThat(shortSeconds).isBetween(0.6, 0.8);
        assertThat(longSeconds).isBetween(18.0, 18.8);
    }

    @Test
    void streamedMp3OfEveryRateDecodes() throws Exception {
        String sox = ExternalTools.require("sox", "apt-get install sox libsox-fmt-mp3");

        for (String format : List.of("mp3_22050_32", "mp3_24000_48", "mp3_44100_192")) {
            byte[] audio = speech("/v1/text-to-speech/%s/stream", "A streamed sentence of some length.", format);
            assertThat(decode(sox, audio, "mp3")).as(format).isBetween(2.5, 2.7);
        }
    }

    @Test
    void wavAndPcmDecode() throws Exception {
        String sox = ExternalTools.require("sox", "apt-get install sox");

        double wav = decode(sox, speech("/v1/text-to-speech/%s", "Ten chars.", "wav_22050"), "wav");
        double pcm = decode(sox, speech("/v1/text-to-speech/%s", "Ten chars.", "pcm_16000"), "raw", "-e", "signed",
                "-b", "16", "-r", "16000", "-c", "1");

        assertThat(wav).isCloseTo(0.95, offset(0.01));
        assertThat(pcm).isCloseTo(0.95, offset(0.01));
    }

    private byte[] speech(String pathTemplate, String text, String format) {
        HttpResponse<byte[]> response = http.post(pathTemplate.formatted(Simulator.DEFAULT_VOICE_ID)
                + "?output_format=" + format, SimHttp.tts(text, "eleven_flash_v2_5"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private double decode(String sox, byte[] audio, String type, String... formatOptions) throws Exception {
        Path file = Files.createTempFile(dir, "audio", "." + type);
        Files.write(file, audio);
        List<String> command = new ArrayList<>(List.of(sox));
        if (formatOptions.length > 0) {
            command.add("-t");
            command.add(type);
            command.addAll(List.of(formatOptions));
        }
        command.addAll(List.of(file.toString(), "-n", "stat"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher matcher = LENGTH.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
