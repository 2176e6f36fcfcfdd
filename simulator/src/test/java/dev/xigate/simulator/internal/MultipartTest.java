package dev.xigate.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartTest {

    @Test
    void readsFieldsAndFilesWithBinaryContent() {
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"model_id\"\r\n\r\nscribe_v1\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\u0000\u00ff\r\n--x\r\n"
                + "--xyz--\r\n";

        Multipart form = Multipart.parse("multipart/form-data; boundary=xyz",
                body.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(form.text("model_id")).isEqualTo("scribe_v1");
        assertThat(form.part("file").filename()).isEqualTo("a.bin");
        assertThat(form.part("file").data()).containsExactly(0, 0xFF, '\r', '\n', '-', '-', 'x');
        assertThat(form.text("missing")).isNull();
    }

    @Test
    void nonMultipartBodyHasNoParts() {
        Multipart form = Multipart.parse("application/json", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(form.text("model_id")).isNull();
        assertThat(form.part("file")).isNull();
    }

    @Test
    void quotedBoundaryIsUnderstood() {
        String body = "--a b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--a b--\r\n";

        Multipart form = Multipart.parse("multipart/form-data; boundary=\"a b\"",
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(form.text("x")).isEqualTo("1");
    }
}
