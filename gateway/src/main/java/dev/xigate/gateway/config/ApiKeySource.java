package dev.xigate.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the ElevenLabs API key: the secret file {@code upstream.api-key-file} when set, else the environment
 * variable {@code upstream.api-key-env}. The key is never logged and never part of any message.
 */
public final class ApiKeySource {
    private ApiKeySource() {
    }

    /**
     * Returns the key, or empty when neither source holds one.
     *
     * @param settings where to look
     * @param environment reads an environment variable ({@code System::getenv} in production)
     * @throws ConfigException if the key file is set but cannot be read or is empty
     */
    public static Optional<String> resolve(UpstreamSettings settings, UnaryOperator<String> environment) {
        if (settings.apiKeyFile() != null) {
            Path file = Path.of(settings.apiKeyFile());
            try {
                String key = Files.readString(file).strip();
                if (key.isEmpty()) {
                    throw new ConfigException(java.util.List.of("upstream.api-key-file: " + file
                            + " (expected: a file holding the key, found an empty file)"));
                }
                return Optional.of(key);
            } catch (IOException e) {
                throw new ConfigException("upstream.api-key-file: " + file + " (expected: a readable file)", e);
            }
        }
        String fromEnv = environment.apply(settings.apiKeyEnv());
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv.strip());
    }
}
