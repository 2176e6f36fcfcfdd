package dev.xigate.gateway;

import dev.xigate.gateway.auth.Priority;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.LimitSettings;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.RatePolicy;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Creates the limiter settings a gateway configuration describes: plan table, overrides, queue, client limits. */
public final class LimiterFactory {
    private LimiterFactory() {
    }

    /** Returns the limiter settings for a validated gateway configuration. */
    public static LimiterConfig limiterConfig(GatewayConfig config) {
        LimitSettings limits = config.limits();
        LimiterConfig.Builder builder = LimiterConfig.builder()
                .plan(PlanTier.fromLabel(config.plan()))
                .priorityLevels(Priority.LEVELS)
                .maxQueue(limits.queueCapacity())
                .maxWait(limits.queueTimeout())
                .adaptive(limits.adaptive());
        for (Map.Entry<String, Integer> family : limits.families().entrySet()) {
            builder.limit(ModelFamily.fromLabel(family.getKey()), family.getValue());
        }
        for (ClientSettings client : config.clients()) {
            List<RatePolicy> policies = new ArrayList<>();
            if (client.requestsPerMinute() != null) {
                policies.add(RatePolicy.slidingWindow(client.requestsPerMinute(), Duration.ofMinutes(1)));
            }
            if (client.charactersPerDay() != null) {
                policies.add(RatePolicy.characterBudget(client.charactersPerDay(), Duration.ofDays(1)));
            }
            if (!policies.isEmpty()) {
                builder.clientPolicies(client.name(), policies.toArray(RatePolicy[]::new));
            }
        }
        return builder.build();
    }

    /** Creates an in-memory limiter for a validated gateway configuration. */
    public static Limiter inMemory(GatewayConfig config) {
        return Limiter.inMemory(limiterConfig(config));
    }
}
