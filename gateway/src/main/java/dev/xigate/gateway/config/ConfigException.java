package dev.xigate.gateway.config;

import java.util.List;

/** Thrown when a configuration file cannot be read or holds invalid values; the message names every field. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** Creates an exception listing one problem per field. */
    public ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Creates an exception for a file that could not be read or parsed. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** Returns the problems, one per offending field. */
    public List<String> problems() {
        return problems;
    }
}
