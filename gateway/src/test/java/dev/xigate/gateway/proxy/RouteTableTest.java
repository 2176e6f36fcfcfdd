package dev.xigate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = RouteTable.standard();

    @Test
    void matchesTheElevenLabsPathsWithTheirMethod() {
        assertThat(table.match("POST", "/v1/text-to-speech/abc/stream")).get()
                .extracting(Route::endpoint).isEqualTo("text_to_speech_stream");
        assertThat(table.match("POST", "/v1/text-to-speech/abc")).get()
                .extracting(Route::endpoint).isEqualTo("text_to_speech");
        assertThat(table.match("POST", "/v1/speech-to-text")).get()
                .extracting(Route::modelSource).isEqualTo(Route.ModelSource.MULTIPART_FORM);
        assertThat(table.match("GET", "/v2/voices")).isPresent();
    }

    @Test
    void refusesEverythingElse() {
        assertThat(table.match("GET", "/v1/text-to-speech/abc")).isEmpty();
        assertThat(table.match("POST", "/v1/text-to-speech/../../user")).isEmpty();
        assertThat(table.match("POST", "/v1/text-to-speech/./stream")).isEmpty();
        assertThat(table.match("POST", "/v1/text-to-speech//stream")).isEmpty();
        assertThat(table.match("GET", "/v1/voices/")).isEmpty();
        assertThat(table.match("GET", "/_sim/stats")).isEmpty();
        assertThat(table.match("GET", "v1/models")).isEmpty();
    }
}
