package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutcomeClassifierTest {
    private static final String CONCURRENT_NEW = "{\"detail\":{\"type\":\"rate_limit_error\","
            + "\"code\":\"concurrent_limit_exceeded\",\"status\":\"too_many_concurrent_requests\"}}";
    private static final String CONCURRENT_LEGACY = "{\"detail\":{\"status\":\"too_many_concurrent_requests\","
            + "\"message\":\"Too many concurrent requests\"}}";
    private static final String CONCURRENT_CODE_ONLY = "{\"detail\":{\"code\":\"concurrent_limit_exceeded\"}}";
    private static final String BUSY = "{\"detail\":{\"status\":\"system_busy\",\"message\":\"heavy traffic\"}}";
    private static final String RATE = "{\"detail\":{\"code\":\"rate_limit_exceeded\"}}";

    static Stream<Arguments> statusTable() {
        return Stream.of(
                Arguments.of(200, "", Outcome.SUCCESS),
                Arguments.of(201, null, Outcome.SUCCESS),
                Arguments.of(204, null, Outcome.SUCCESS),
                Arguments.of(302, null, Outcome.SUCCESS),
                Arguments.of(400, "{\"detail\":{\"status\":\"voice_not_found\"}}", Outcome.CLIENT_ERROR),
                Arguments.of(401, "{\"detail\":{\"status\":\"quota_exceeded\"}}", Outcome.CLIENT_ERROR),
                Arguments.of(402, null, Outcome.CLIENT_ERROR),
                Arguments.of(403, null, Outcome.CLIENT_ERROR),
                Arguments.of(404, null, Outcome.CLIENT_ERROR),
                Arguments.of(408, null, Outcome.CLIENT_ERROR),
                Arguments.of(409, null, Outcome.CLIENT_ERROR),
                Arguments.of(422, "{\"detail\":[{\"loc\":[\"body\",\"text\"]}]}", Outcome.CLIENT_ERROR),
                Arguments.of(429, CONCURRENT_NEW, Outcome.RATE_LIMITED_CONCURRENCY),
                Arguments.of(429, CONCURRENT_LEGACY, Outcome.RATE_LIMITED_CONCURRENCY),
                Arguments.of(429, CONCURRENT_CODE_ONLY, Outcome.RATE_LIMITED_CONCURRENCY),
                Arguments.of(429, "<html>too_many_concurrent_requests</html>", Outcome.RATE_LIMITED_CONCURRENCY),
                Arguments.of(429, BUSY, Outcome.RATE_LIMITED_BUSY),
                Arguments.of(429, RATE, Outcome.RATE_LIMITED_BUSY),
                Arguments.of(429, "", Outcome.RATE_LIMITED_BUSY),
                Arguments.of(429, null, Outcome.RATE_LIMITED_BUSY),
                Arguments.of(429, "{\"detail\":\"slow down\"}", Outcome.RATE_LIMITED_BUSY),
                Arguments.of(500, "{\"detail\":{\"status\":\"internal_server_error\"}}", Outcome.SERVER_ERROR),
                Arguments.of(502, null, Outcome.SERVER_ERROR),
                Arguments.of(503, null, Outcome.SERVER_ERROR),
                Arguments.of(504, null, Outcome.SERVER_ERROR),
                Arguments.of(599, null, Outcome.SERVER_ERROR));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("statusTable")
    void classifiesStatusAndBody(int status, String body, Outcome expected) {
        assertThat(OutcomeClassifier.classify(status, body, null)).isEqualTo(expected);
    }

    static Stream<Arguments> exceptionTable() {
        return Stream.of(
                Arguments.of(new ConnectException("Connection refused"), Outcome.NETWORK_ERROR),
                Arguments.of(new SocketException("Connection reset"), Outcome.NETWORK_ERROR),
                Arguments.of(new UnknownHostException("api.invalid"), Outcome.NETWORK_ERROR),
                Arguments.of(new SSLHandshakeException("bad certificate"), Outcome.NETWORK_ERROR),
                Arguments.of(new IOException("HTTP/1.1 header parser received no bytes"), Outcome.NETWORK_ERROR),
                Arguments.of(new HttpConnectTimeoutException("connect timed out"), Outcome.NETWORK_ERROR),
                Arguments.of(new IOException("wrapped", new ConnectException("refused")), Outcome.NETWORK_ERROR),
                Arguments.of(new HttpTimeoutException("request timed out"), Outcome.TIMEOUT),
                Arguments.of(new SocketTimeoutException("Read timed out"), Outcome.TIMEOUT),
                Arguments.of(new IOException("wrapped", new TimeoutException()), Outcome.TIMEOUT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("exceptionTable")
    void classifiesExceptions(Throwable failure, Outcome expected) {
        assertThat(OutcomeClassifier.classify(failure)).isEqualTo(expected);
    }

    @Test
    void exceptionWinsOverStatus() {
        assertThat(OutcomeClassifier.classify(200, "", new ConnectException())).isEqualTo(Outcome.NETWORK_ERROR);
    }

    @Test
    void rejectsMissingStatusWithoutFailure() {
        assertThatThrownBy(() -> OutcomeClassifier.classify(-1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: -1 (expected: 100..599 when failure is null)");
    }

    @Test
    void breakerCountsOnlyServerNetworkAndTimeout() {
        assertThat(Stream.of(Outcome.values()).filter(Outcome::isBreakerFailure))
                .containsExactlyInAnyOrder(Outcome.SERVER_ERROR, Outcome.NETWORK_ERROR, Outcome.TIMEOUT);
        assertThat(Stream.of(Outcome.values()).filter(Outcome::isRetryable))
                .containsExactlyInAnyOrder(Outcome.RATE_LIMITED_BUSY, Outcome.RATE_LIMITED_CONCURRENCY,
                        Outcome.SERVER_ERROR, Outcome.NETWORK_ERROR, Outcome.TIMEOUT);
    }
}
