package dev.xigate.gateway.config;

import java.time.Duration;

/**
 * The gateway's listeners.
 *
 * @param bind the address both ports bind to ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port the proxy port (8080 by default; 0 picks a free port)
 * @param adminPort the admin port for health, metrics and the dashboard (9090 by default; 0 picks a free port)
 * @param maxBodyBytes the largest request body accepted, in bytes (25 MiB by default); larger gets 413
 * @param shutdownTimeout how long in-flight requests may run on after shutdown starts (30 s by default)
 */
public record ServerSettings(String bind, Integer port, Integer adminPort, Long maxBodyBytes,
        Duration shutdownTimeout) {

    /** The default bind address: loopback only. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** The default proxy port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default admin port. */
    public static final int DEFAULT_ADMIN_PORT = 9090;
    /** The default request body limit: 25 MiB, room for a speech-to-text upload of a few minutes. */
    public static final long DEFAULT_MAX_BODY_BYTES = 25L * 1024 * 1024;
    /** The default time in-flight requests get to finish at shutdown. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** Creates the settings, filling defaults for missing values. */
    public ServerSettings {
        bind = bind == null ? DEFAULT_BIND : bind;
        port = port == null ? DEFAULT_PORT : port;
        adminPort = adminPort == null ? DEFAULT_ADMIN_PORT : adminPort;
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
    }

    /** Returns the default settings. */
    public static ServerSettings ofDefaults() {
        return new ServerSettings(null, null, null, null, null);
    }

    /** Returns a copy bound to another address. */
    public ServerSettings withBind(String newBind) {
        return new ServerSettings(newBind, port, adminPort, maxBodyBytes, shutdownTimeout);
    }

    /** Returns a copy with another proxy port. */
    public ServerSettings withPort(int newPort) {
        return new ServerSettings(bind, newPort, adminPort, maxBodyBytes, shutdownTimeout);
    }

    /** Returns a copy with another admin port. */
    public ServerSettings withAdminPort(int newAdminPort) {
        return new ServerSettings(bind, port, newAdminPort, maxBodyBytes, shutdownTimeout);
    }

    /** Returns a copy with another body size limit. */
    public ServerSettings withMaxBodyBytes(long newMaxBodyBytes) {
        return new ServerSettings(bind, port, adminPort, newMaxBodyBytes, shutdownTimeout);
    }

    /** Returns a copy with another shutdown deadline. */
    public ServerSettings withShutdownTimeout(Duration newShutdownTimeout) {
        return new ServerSettings(bind, port, adminPort, maxBodyBytes, newShutdownTimeout);
    }
}
