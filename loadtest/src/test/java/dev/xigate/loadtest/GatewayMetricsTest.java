package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private static final String FIRST = """
            # HELP elevenlabs_queue_depth Requests waiting
            # TYPE elevenlabs_queue_depth gauge
            elevenlabs_queue_depth{family="multilingual",priority="high"} 2.0
            elevenlabs_queue_depth{family="turbo_flash",priority="low"} 1.0
            elevenlabs_concurrent_requests{family="multilingual"} 10.0
            elevenlabs_retries_total{reason="server_error"} 4.0
            elevenlabs_circuit_breaker_state{name="upstream"} 0.0
            xigate_queue_wait_seconds_sum{family="multilingual"} 1.5
            xigate_queue_wait_seconds_count{family="multilingual"} 10.0
            """;
    private static final String SECOND = """
            elevenlabs_queue_depth{family="multilingual",priority="high"} 7.0
            elevenlabs_concurrent_requests{family="multilingual"} 9.0
            elevenlabs_concurrent_requests{family="stt"} 3.0
            elevenlabs_retries_total{reason="server_error"} 10.0
            elevenlabs_circuit_breaker_state{name="upstream"} 1.0
            xigate_queue_wait_seconds_sum{family="multilingual"} 2.5
            xigate_queue_wait_seconds_count{family="multilingual"} 14.0
            """;

    @Test
    void parsesLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                a_total{path="/v1/x",msg="say \\"hi\\""} 3 1700000000
                b +Inf
                c{le="0.5"} NaN
                broken{x="1" 2
                """);

        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).labels()).containsEntry("msg", "say \"hi\"").containsEntry("path", "/v1/x");
        assertThat(samples.get(0).value()).isEqualTo(3.0);
        assertThat(samples.get(1).value()).isInfinite();
    }

    @Test
    void derivesRunFiguresFromSuccessiveScrapes() {
        GatewayMetrics metrics = new GatewayMetrics(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:1"));

        GatewayMetrics.Tick first = metrics.absorb(PrometheusText.parse(FIRST));
        GatewayMetrics.Tick second = metrics.absorb(PrometheusText.parse(SECOND));

        assertThat(first.queueDepth()).isEqualTo(3.0);
        assertThat(second.queueDepth()).isEqualTo(7.0);
        assertThat(second.queueWaitMs()).isEqualTo(250.0);
        assertThat(second.concurrency()).isEqualTo(12.0);
        assertThat(metrics.retries()).isEqualTo(6);
        assertThat(metrics.breakerTransitions()).isEqualTo(1);
        assertThat(metrics.maxQueueDepth()).isEqualTo(7.0);
        assertThat(metrics.maxConcurrency()).containsEntry("multilingual", 10.0).containsEntry("stt", 3.0);
    }

    @Test
    void reportsNotAvailableWhenTheGatewayExposesNothing() {
        GatewayMetrics metrics = new GatewayMetrics(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:1"));

        GatewayMetrics.Tick tick = metrics.scrape();

        assertThat(tick).isEqualTo(GatewayMetrics.Tick.EMPTY);
        assertThat(metrics.failures()).isEqualTo(1);
        assertThat(metrics.retries()).isNull();
        assertThat(metrics.breakerTransitions()).isNull();
    }
}
