package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.ModelInfo;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Handles the metadata endpoints: voices, models, user and subscription. They hold no concurrency slot. */
final class AccountRoutes {
    private AccountRoutes() {
    }

    static void voices(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        exchange.apiKey();
        Fields query = Fields.ofText("query", exchange::query);
        query.optionalBoolean("show_legacy");
        query.throwIfInvalid();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("voices", VoiceCatalog.all());
        exchange.sendJson(200, body);
    }

    /** Answers {@code GET /v2/voices}: the same voices, paginated by {@code page_size} and {@code next_page_token}. */
    static void voicesV2(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        exchange.apiKey();
        Fields query = Fields.ofText("query", exchange::query);
        Long pageSize = query.optionalLong("page_size", 1, 100);
        query.optionalBoolean("include_total_count");
        query.throwIfInvalid();
        ArrayNode all = VoiceCatalog.all();
        int start = parseToken(exchange.query("next_page_token"), all.size());
        int size = pageSize == null ? 10 : pageSize.intValue();
        int end = Math.min(all.size(), start + size);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode page = body.putArray("voices");
        for (int i = start; i < end; i++) {
            page.add(all.get(i));
        }
        body.put("has_more", end < all.size());
        body.put("total_count", all.size());
        if (end < all.size()) {
            body.put("next_page_token", Integer.toString(end));
        } else {
            body.putNull("next_page_token");
        }
        exchange.sendJson(200, body);
    }

    private static int parseToken(String token, int size) {
        if (token == null) {
            return 0;
        }
        try {
            return Math.min(size, Math.max(0, Integer.parseInt(token)));
        } catch (NumberFormatException e) {
            throw Errors.invalidParameters("next_page_token", "next_page_token: " + token
                    + " (expected: a token from a previous page)");
        }
    }

    static void voice(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        exchange.apiKey();
        Fields query = Fields.ofText("query", exchange::query);
        query.optionalBoolean("with_settings");
        query.throwIfInvalid();
        String voiceId = exchange.pathParam("voice_id");
        exchange.sendJson(200, VoiceCatalog.find(voiceId).orElseThrow(() -> Errors.voiceNotFound(voiceId)));
    }

    static void models(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        exchange.apiKey();
        ArrayNode models = Json.MAPPER.createArrayNode();
        for (ModelInfo model : ModelCatalog.standard().all()) {
            models.add(model(model));
        }
        exchange.sendJson(200, models);
    }

    static void user(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        String apiKey = exchange.apiKey();
        ObjectNode user = Json.MAPPER.createObjectNode();
        user.put("user_id", "sim-user-" + Integer.toHexString(apiKey.hashCode()));
        user.put("workspace_id", "sim-workspace");
        user.set("subscription", subscription(exchange, apiKey));
        user.put("is_new_user", false);
        user.put("xi_api_key", apiKey.length() > 4 ? "..." + apiKey.substring(apiKey.length() - 4) : "...");
        user.put("can_use_delayed_payment_methods", false);
        user.put("is_onboarding_completed", true);
        user.put("is_onboarding_checklist_completed", true);
        user.put("first_name", "Simulated");
        user.put("is_api_key_hashed", true);
        user.put("xi_api_key_preview", user.get("xi_api_key").asText());
        user.put("created_at", 1_700_000_000L);
        user.put("seat_type", "workspace_admin");
        exchange.sendJson(200, user);
    }

    static void subscription(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        String apiKey = exchange.apiKey();
        exchange.sendJson(200, subscription(exchange, apiKey));
    }

    private static ObjectNode subscription(Exchange exchange, String apiKey) {
        SimulatorEngine engine = exchange.engine();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("tier", engine.config().plan().label());
        node.put("character_count", engine.quota().used(apiKey));
        node.put("character_limit", engine.quota().limit());
        node.put("max_character_limit_extension", 0);
        node.put("max_credit_limit_extension", 0);
        node.put("can_extend_character_limit", false);
        node.put("allowed_to_extend_character_limit", false);
        node.put("next_character_count_reset_unix", nextResetUnix());
        node.put("voice_slots_used", 0);
        node.put("professional_voice_slots_used", 0);
        node.put("professional_voice_slots_used_in_workspace", 0);
        node.put("voice_limit", 160);
        node.put("max_voice_add_edits", 250);
        node.put("voice_add_edit_counter", 0);
        node.put("professional_voice_limit", 1);
        node.put("can_extend_voice_limit", false);
        node.put("can_use_instant_voice_cloning", true);
        node.put("can_use_professional_voice_cloning", true);
        node.put("currency", "usd");
        node.putObject("current_overage").put("amount", "0.00").put("currency", "usd");
        node.put("status", "active");
        node.put("billing_period", "monthly_period");
        node.put("character_refresh_period", "monthly_period");
        node.putArray("open_invoices");
        node.put("has_open_invoices", false);
        return node;
    }

    private static long nextResetUnix() {
        LocalDate firstOfNextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1);
        return firstOfNextMonth.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private static ObjectNode model(ModelInfo model) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("model_id", model.modelId());
        node.put("name", model.name());
        node.put("description", model.name() + " (simulated)");
        node.put("can_be_finetuned", false);
        node.put("can_do_text_to_speech", model.textToSpeech());
        node.put("can_do_voice_conversion", false);
        node.put("can_use_style", model.textToSpeech());
        node.put("can_use_speaker_boost", model.textToSpeech());
        node.put("serves_pro_voices", false);
        node.put("token_cost_factor", model.costMultiplier());
        node.put("requires_alpha_access", false);
        node.put("max_characters_request_free_user", Math.min(model.maxCharactersPerRequest(), 2_500));
        node.put("max_characters_request_subscribed_user", model.maxCharactersPerRequest());
        node.put("maximum_text_length_per_request", model.maxCharactersPerRequest());
        ArrayNode languages = node.putArray("languages");
        languages.addObject().put("language_id", "en").put("name", "English");
        if (model.family() != ModelFamily.STT) {
            node.putObject("model_rates").put("character_cost_multiplier", model.costMultiplier());
        }
        node.put("concurrency_group", model.concurrencyGroup());
        return node;
    }
}
