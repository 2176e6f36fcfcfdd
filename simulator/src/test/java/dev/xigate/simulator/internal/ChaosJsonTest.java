package dev.xigate.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosJsonTest {

    @Test
    void writtenChaosReadsBackEqual() {
        ChaosConfig chaos = ChaosConfig.builder().failureRate(FaultKind.STREAM_RESET, 0.25)
                .extraLatency(Duration.ofMillis(120)).extraJitter(Duration.ofMillis(30)).retryAfterSeconds(3)
                .stall(Duration.ofSeconds(2)).limit(ModelFamily.STT, 7).build();

        ObjectNode written = stripZeroRates(ChaosJson.write(chaos, Map.of(FaultKind.RESET, 2)));

        ObjectNode withoutQueue = written.deepCopy();
        withoutQueue.remove("fail_next");
        assertThat(ChaosJson.read(withoutQueue)).isEqualTo(chaos);
        assertThat(ChaosJson.failNext(written)).containsEntry(FaultKind.RESET, 2);
    }

    @Test
    void unknownFieldsAndBadValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> ChaosJson.read(Json.MAPPER.createObjectNode().put("chaos_monkey", 1)))
                .hasMessageContaining("chaos field: chaos_monkey");
        assertThatThrownBy(() -> ChaosJson.read(Json.MAPPER.createObjectNode().put("stall_ms", -1)))
                .hasMessageContaining("stall_ms: -1");
        assertThatThrownBy(() -> ChaosJson.read(Json.MAPPER.createObjectNode().set("limits",
                Json.MAPPER.createObjectNode().put("nope", 1)))).hasMessageContaining("model family: nope");
    }

    private static ObjectNode stripZeroRates(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        ObjectNode rates = (ObjectNode) copy.get("failure_rates");
        rates.properties().removeIf(entry -> entry.getValue().asDouble() == 0);
        return copy;
    }
}
