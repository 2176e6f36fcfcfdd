package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadRecorderTest {
    private static final long MS = 1_000_000L;

    private static PlannedRequest request(Endpoint endpoint) {
        return new PlannedRequest(0, endpoint, "eleven_flash_v2_5", null, "c", "k", "v", "text");
    }

    @Test
    void latencyCountsTheWaitBeforeALateSend() {
        LoadRecorder recorder = new LoadRecorder();
        recorder.recordSent();

        recorder.recordOutcome(request(Endpoint.CONVERT), new Outcome.Success(200, 550 * MS, 10), 0, 500 * MS,
                600 * MS);
        recorder.takeInterval();

        assertThat(recorder.latency().p50()).isBetween(599.0, 601.0);
        assertThat(recorder.serviceTime().p50()).isBetween(99.9, 100.1);
    }

    @Test
    void timeToFirstByteIsRecordedForStreamsOnly() {
        LoadRecorder recorder = new LoadRecorder();
        recorder.recordSent();
        recorder.recordSent();

        recorder.recordOutcome(request(Endpoint.STREAM), new Outcome.Success(200, 80 * MS, 10), 0, 0, 300 * MS);
        recorder.recordOutcome(request(Endpoint.CONVERT), new Outcome.Success(200, 290 * MS, 10), 0, 0, 300 * MS);

        assertThat(recorder.timeToFirstByte().count()).isEqualTo(1);
        assertThat(recorder.timeToFirstByte().p99()).isBetween(79.9, 80.1);
    }

    @Test
    void failuresAreCountedByStatusAndType() {
        LoadRecorder recorder = new LoadRecorder();
        for (int i = 0; i < 3; i++) {
            recorder.recordSent();
        }

        recorder.recordOutcome(request(Endpoint.CONVERT), new Outcome.Failure(429, "system_busy", 0), 0, 0, MS);
        recorder.recordOutcome(request(Endpoint.CONVERT), new Outcome.Failure(0, "timeout", 0), 0, 0, MS);
        recorder.recordOutcome(request(Endpoint.CONVERT), new Outcome.Success(200, MS, 1), 0, 0, MS);
        LoadRecorder.Interval interval = recorder.takeInterval();

        assertThat(recorder.byStatus()).containsEntry("429", 1L).containsEntry("0", 1L).containsEntry("200", 1L);
        assertThat(recorder.byType()).containsEntry("system_busy", 1L).containsEntry("timeout", 1L);
        assertThat(interval.errors()).isEqualTo(2);
        assertThat(interval.inFlight()).isZero();
        assertThat(recorder.takeInterval().completed()).isZero();
    }

    @Test
    void errorTypeComesFromDetailStatusThenCode() {
        byte[] legacy = "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"x\"}}".getBytes();
        byte[] current = "{\"detail\":{\"code\":\"queue_full\"}}".getBytes();
        byte[] validation = "{\"detail\":[{\"loc\":[\"body\",\"text\"]}]}".getBytes();

        assertThat(RequestExecutor.errorType(401, legacy)).isEqualTo("quota_exceeded");
        assertThat(RequestExecutor.errorType(503, current)).isEqualTo("queue_full");
        assertThat(RequestExecutor.errorType(422, validation)).isEqualTo("validation_error");
        assertThat(RequestExecutor.errorType(502, "<html>".getBytes())).isEqualTo("http_502");
    }
}
