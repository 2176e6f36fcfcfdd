package dev.xigate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Objects;

/**
 * The whole gateway configuration, as read from the YAML file and the command line.
 *
 * <p>Immutable. Missing sections take their defaults; {@link ConfigLoader} validates the result and names the
 * offending field in every message.
 *
 * @param server the listeners: bind address, proxy and admin ports, body size limit, shutdown deadline
 * @param upstream where the ElevenLabs API is and how to reach it
 * @param plan the ElevenLabs plan tier whose concurrency table applies ({@code free} .. {@code enterprise})
 * @param limits queueing and per-family limit overrides
 * @param clients the gateway client keys; empty means any key is accepted (loopback only)
 * @param resilience the raw {@code resilience:} section, read by
 *     {@link dev.xigate.gateway.resilience.ResilienceSettingsReader} (missing when the file has none)
 */
public record GatewayConfig(
        ServerSettings server,
        UpstreamSettings upstream,
        String plan,
        LimitSettings limits,
        List<ClientSettings> clients,
        JsonNode resilience) {

    /** The plan tier used when the file names none. */
    public static final String DEFAULT_PLAN = "pro";

    /** Creates a configuration, filling defaults for missing sections. */
    public GatewayConfig {
        server = server == null ? ServerSettings.ofDefaults() : server;
        upstream = upstream == null ? UpstreamSettings.ofDefaults() : upstream;
        plan = plan == null ? DEFAULT_PLAN : plan;
        limits = limits == null ? LimitSettings.ofDefaults() : limits;
        clients = clients == null ? List.of() : List.copyOf(clients);
        resilience = resilience == null ? MissingNode.getInstance() : resilience;
    }

    /** Returns the configuration with every default. */
    public static GatewayConfig ofDefaults() {
        return new GatewayConfig(null, null, null, null, null, null);
    }

    /** Returns a copy with other server settings. */
    public GatewayConfig withServer(ServerSettings newServer) {
        return new GatewayConfig(Objects.requireNonNull(newServer, "newServer"), upstream, plan, limits, clients,
                resilience);
    }

    /** Returns a copy with other upstream settings. */
    public GatewayConfig withUpstream(UpstreamSettings newUpstream) {
        return new GatewayConfig(server, Objects.requireNonNull(newUpstream, "newUpstream"), plan, limits, clients,
                resilience);
    }

    /** Returns a copy with another plan tier. */
    public GatewayConfig withPlan(String newPlan) {
        return new GatewayConfig(server, upstream, Objects.requireNonNull(newPlan, "newPlan"), limits, clients,
                resilience);
    }

    /** Returns a copy with other limit settings. */
    public GatewayConfig withLimits(LimitSettings newLimits) {
        return new GatewayConfig(server, upstream, plan, Objects.requireNonNull(newLimits, "newLimits"), clients,
                resilience);
    }

    /** Returns a copy with other client keys. */
    public GatewayConfig withClients(List<ClientSettings> newClients) {
        return new GatewayConfig(server, upstream, plan, limits, newClients, resilience);
    }

    /** Returns a copy with another raw {@code resilience:} section. */
    public GatewayConfig withResilience(JsonNode newResilience) {
        return new GatewayConfig(server, upstream, plan, limits, clients, newResilience);
    }
}
