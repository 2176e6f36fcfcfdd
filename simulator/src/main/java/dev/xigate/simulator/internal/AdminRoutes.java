package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.SimulatorStats;
import dev.xigate.simulator.SlotHold;

/** Handles the simulator's own endpoints under {@code /_sim}: statistics, reset, chaos and slot holds. */
final class AdminRoutes {
    private AdminRoutes() {
    }

    static void stats(Exchange exchange) {
        exchange.sendJson(200, statsJson(exchange.engine().stats()));
    }

    static void reset(Exchange exchange) {
        exchange.engine().reset();
        exchange.sendJson(200, Json.MAPPER.createObjectNode().put("reset", true));
    }

    static void getChaos(Exchange exchange) {
        SimulatorEngine engine = exchange.engine();
        exchange.sendJson(200, ChaosJson.write(engine.chaos(), engine.queuedFaults()));
    }

    static void postChaos(Exchange exchange) {
        SimulatorEngine engine = exchange.engine();
        JsonNode body = exchange.jsonBody();
        ChaosConfig chaos;
        try {
            chaos = ChaosJson.read(body);
        } catch (IllegalArgumentException e) {
            throw Errors.invalidParameters("chaos", e.getMessage());
        }
        engine.chaos(chaos);
        engine.clearQueuedFaults();
        ChaosJson.failNext(body).forEach(engine::failNext);
        exchange.sendJson(200, ChaosJson.write(engine.chaos(), engine.queuedFaults()));
    }

    static void hold(Exchange exchange) {
        ObjectNode body = exchange.jsonBody();
        Fields fields = Fields.ofBody(body);
        String apiKey = fields.requiredString("api_key");
        String familyName = fields.requiredString("family");
        Long slots = fields.optionalLong("slots", 1, 100_000);
        fields.throwIfInvalid();
        ModelFamily family;
        try {
            family = ModelFamily.fromLabel(familyName);
        } catch (IllegalArgumentException e) {
            throw Errors.invalidParameters("family", e.getMessage());
        }
        int count = slots == null ? 1 : slots.intValue();
        SlotHold hold = exchange.engine().hold(apiKey, family, count);
        exchange.sendJson(200, Json.MAPPER.createObjectNode().put("hold_id", hold.id()).put("family", family.label())
                .put("slots", count));
    }

    static void release(Exchange exchange) {
        if (!exchange.engine().release(exchange.pathParam("hold_id"))) {
            throw Errors.notFound();
        }
        exchange.sendJson(200, Json.MAPPER.createObjectNode().put("released", true));
    }

    static ObjectNode statsJson(SimulatorStats stats) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode families = root.putObject("families");
        for (ModelFamily family : ModelFamily.values()) {
            SimulatorStats.FamilyStats f = stats.family(family);
            ObjectNode node = families.putObject(family.label());
            node.put("requests", f.requests());
            ObjectNode responses = node.putObject("responses");
            f.responsesByStatus().forEach((status, count) -> responses.put(Integer.toString(status), count));
            node.put("throttled", f.throttled());
            node.put("concurrency_rejections", f.concurrencyRejections());
            node.put("current_concurrency", f.currentConcurrency());
            node.put("max_concurrency", f.maxConcurrency());
            node.put("held_slots", f.heldSlots());
            node.put("limit", f.limit());
            node.put("characters", f.characters());
            node.put("busy_slot_nanos", f.busySlotNanos());
        }
        root.put("other_requests", stats.otherRequests());
        root.put("websocket_sessions", stats.webSocketSessions());
        return root;
    }
}
