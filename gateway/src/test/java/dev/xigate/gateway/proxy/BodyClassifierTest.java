package dev.xigate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyClassifierTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsModelIdAndTextLengthFromJson() throws Exception {
        assertThat(BodyClassifier.fromJson(bytes("{\"text\":\"héllo\",\"model_id\":\"eleven_flash_v2_5\"}")))
                .isEqualTo(new BodyClassification("eleven_flash_v2_5", 5));
        assertThat(BodyClassifier.fromJson(bytes("{\"text\":\"x\"}"))).isEqualTo(new BodyClassification(null, 1));
        assertThat(BodyClassifier.fromJson(new byte[0])).isEqualTo(BodyClassification.EMPTY);
    }

    @Test
    void rejectsBodiesThatAreNotAJsonObject() {
        assertThatThrownBy(() -> BodyClassifier.fromJson(bytes("[1,2]"))).isInstanceOf(InvalidBodyException.class);
        assertThatThrownBy(() -> BodyClassifier.fromJson(bytes("{\"text\":"))).isInstanceOf(InvalidBodyException.class);
        assertThatThrownBy(() -> BodyClassifier.fromJson(bytes("{\"model_id\":[1]}")))
                .isInstanceOfSatisfying(InvalidBodyException.class, e -> assertThat(e.param()).isEqualTo("model_id"));
    }

    @Test
    void readsModelIdFromAMultipartForm() throws Exception {
        String form = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n"
                + "Content-Type: audio/mpeg\r\n\r\n\u0000\u0001binary--XyZ-not-a-delimiter\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"model_id\"\r\n\r\nscribe_v1\r\n--XyZ--\r\n";
        assertThat(BodyClassifier.fromMultipart("multipart/form-data; boundary=XyZ", bytes(form)).modelId())
                .isEqualTo("scribe_v1");
        assertThat(BodyClassifier.fromMultipart("multipart/form-data; boundary=\"XyZ\"", bytes(form)).modelId())
                .isEqualTo("scribe_v1");
    }

    @Test
    void aFormWithoutModelIdNamesNothing() throws Exception {
        String form = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ndata\r\n--b--\r\n";
        assertThat(BodyClassifier.fromMultipart("multipart/form-data; boundary=b", bytes(form)))
                .isEqualTo(BodyClassification.EMPTY);
    }

    @Test
    void rejectsAMultipartBodyWithoutBoundary() {
        assertThatThrownBy(() -> BodyClassifier.fromMultipart("multipart/form-data", bytes("x")))
                .isInstanceOf(InvalidBodyException.class);
        assertThatThrownBy(() -> BodyClassifier.fromMultipart("application/json", bytes("{}")))
                .isInstanceOf(InvalidBodyException.class);
        assertThatThrownBy(() -> BodyClassifier.fromMultipart("multipart/form-data; boundary=q", bytes("junk")))
                .isInstanceOf(InvalidBodyException.class);
    }
}
