package dev.xigate.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void bodyCarriesBothCodeAndLegacyStatus() {
        ApiError error = new ApiError(429, "rate_limit_error", "concurrent_limit_exceeded",
                "too_many_concurrent_requests", "Too many concurrent requests.", null);

        String json = error.toJson("req-1");

        assertThat(json).isEqualTo("{\"detail\":{\"type\":\"rate_limit_error\",\"code\":\"concurrent_limit_exceeded\","
                + "\"message\":\"Too many concurrent requests.\",\"status\":\"too_many_concurrent_requests\","
                + "\"request_id\":\"req-1\"}}");
    }

    @Test
    void paramIsWrittenOnlyWhenNamed() {
        ApiError error = ApiError.of(400, "validation_error", "invalid_parameters", "bad").withParam("text");

        assertThat(error.toJsonTree("r").get("detail").get("param").asText()).isEqualTo("text");
    }

    @Test
    void rejectsNonErrorStatus() {
        assertThatThrownBy(() -> ApiError.of(200, "x", "y", "z"))
                .hasMessage("httpStatus: 200 (expected: 400..599)");
    }
}
