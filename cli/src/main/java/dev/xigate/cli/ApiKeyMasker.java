package dev.xigate.cli;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.logstash.logback.mask.ValueMasker;

/**
 * Masks anything shaped like an ElevenLabs API key ({@code sk_} and at least 16 letters or digits) in every string
 * value of every JSON log line, as a last line of defence: xigate never logs a key on purpose.
 *
 * <p>Used by the default {@code logback.xml} instead of a {@code <value>} regex, which runs the regex over every
 * string of every line: this masker looks for {@code sk_} first and only then matches, so a line without a key
 * costs one scan per string (a regex over every value cost about a third of the gateway's CPU per request).
 * Thread-safe.
 */
public final class ApiKeyMasker implements ValueMasker {
    /** What a masked key is replaced with. */
    public static final String MASK = "****";

    private static final Pattern KEY = Pattern.compile("sk_[A-Za-z0-9]{16,}");

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (!(value instanceof CharSequence text) || !containsPrefix(text)) {
            return null;
        }
        Matcher matcher = KEY.matcher(text);
        return matcher.find() ? matcher.replaceAll(MASK) : null;
    }

    private static boolean containsPrefix(CharSequence text) {
        for (int i = 0, end = text.length() - 2; i < end; i++) {
            if (text.charAt(i) == 's' && text.charAt(i + 1) == 'k' && text.charAt(i + 2) == '_') {
                return true;
            }
        }
        return false;
    }
}
