package dev.xigate.gateway.admin;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The admin port's routes: {@code /health/live} built in, and whatever other parts register before the gateway
 * starts ({@code /metrics}, {@code /health/ready}, {@code /dashboard}, small admin actions).
 *
 * <p>Not thread-safe while being filled; read-only once the gateway has started.
 */
public final class AdminRoutes {
    /** The liveness probe path. */
    public static final String LIVE_PATH = "/health/live";

    private final Map<String, Handler> getHandlers = new LinkedHashMap<>();
    private final Map<String, Handler> postHandlers = new LinkedHashMap<>();

    /** Creates the routes with the built-in liveness probe. */
    public AdminRoutes() {
        getHandlers.put(LIVE_PATH, (req, res) -> {
            res.header("Content-Type", "application/json");
            res.send("{\"status\":\"UP\"}");
        });
    }

    /**
     * Registers a GET handler for a path (a trailing {@code /*} matches everything below it).
     *
     * @throws IllegalArgumentException if the path is already taken
     */
    public AdminRoutes get(String path, Handler handler) {
        register(getHandlers, path, handler);
        return this;
    }

    /**
     * Registers a POST handler for a path, for admin actions.
     *
     * @throws IllegalArgumentException if the path is already taken
     */
    public AdminRoutes post(String path, Handler handler) {
        register(postHandlers, path, handler);
        return this;
    }

    /** Returns the registered GET paths, in registration order. */
    public Map<String, Handler> getHandlers() {
        return Collections.unmodifiableMap(getHandlers);
    }

    /** Adds every registered route to a Helidon routing. */
    public void applyTo(HttpRouting.Builder routing) {
        getHandlers.forEach(routing::get);
        postHandlers.forEach(routing::post);
    }

    private static void register(Map<String, Handler> handlers, String path, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
        }
        if (handlers.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("path: " + path + " (expected: not yet registered)");
        }
    }
}
