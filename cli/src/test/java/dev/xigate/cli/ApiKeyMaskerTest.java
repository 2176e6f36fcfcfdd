package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyMaskerTest {
    private final ApiKeyMasker masker = new ApiKeyMasker();

    @Test
    void masksEveryKeyInAValue() {
        assertThat(masker.mask(null, "key sk_0123456789abcdef0123 and sk_ABCDEFGHIJKLMNOPQRST end"))
                .isEqualTo("key **** and **** end");
    }

    @Test
    void leavesValuesWithoutAKeyAlone() {
        assertThat(masker.mask(null, "request 3f2a completed")).isNull();
        assertThat(masker.mask(null, "sk_short")).isNull();
        assertThat(masker.mask(null, "ends with sk")).isNull();
        assertThat(masker.mask(null, 42)).isNull();
        assertThat(masker.mask(null, "")).isNull();
    }
}
