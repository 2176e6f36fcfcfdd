package dev.xigate.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns the parts of a {@code multipart/form-data} body (RFC 7578): each part's field name, optional file name and
 * bytes. Lenient like common servers: a malformed part is skipped, and a body that is not multipart has no parts.
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private final Map<String, List<Part>> parts;

    private Multipart(Map<String, List<Part>> parts) {
        this.parts = parts;
    }

    static Multipart parse(String contentType, byte[] body) {
        Map<String, List<Part>> parts = new LinkedHashMap<>();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return new Multipart(parts);
        }
        Matcher boundaryMatch = BOUNDARY.matcher(contentType);
        if (!boundaryMatch.find()) {
            return new Multipart(parts);
        }
        String boundary = boundaryMatch.group(1) != null ? boundaryMatch.group(1) : boundaryMatch.group(2);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int position = indexOf(body, delimiter, 0);
        while (position >= 0) {
            int start = position + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            addPart(parts, body, skipLineBreak(body, start), trimLineBreak(body, next));
            position = next;
        }
        return new Multipart(parts);
    }

    private static void addPart(Map<String, List<Part>> parts, byte[] body, int from, int to) {
        int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), from);
        if (headerEnd < 0 || headerEnd > to) {
            return;
        }
        String headers = new String(body, from, headerEnd - from, StandardCharsets.UTF_8);
        Matcher name = NAME.matcher(";" + headers);
        if (!name.find()) {
            return;
        }
        Matcher filename = FILENAME.matcher(headers);
        byte[] data = Arrays.copyOfRange(body, headerEnd + 4, Math.max(headerEnd + 4, to));
        parts.computeIfAbsent(name.group(1), ignored -> new ArrayList<>())
                .add(new Part(filename.find() ? filename.group(1) : null, data));
    }

    /** Returns the text of the first field with this name, or {@code null}. */
    String text(String name) {
        List<Part> values = parts.get(name);
        return values == null || values.isEmpty() ? null : new String(values.get(0).data(), StandardCharsets.UTF_8);
    }

    /** Returns the first part with this name, or {@code null}. */
    Part part(String name) {
        List<Part> values = parts.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int skipLineBreak(byte[] body, int at) {
        return at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n' ? at + 2 : at;
    }

    private static int trimLineBreak(byte[] body, int at) {
        return at >= 2 && body[at - 2] == '\r' && body[at - 1] == '\n' ? at - 2 : at;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Returns one part of the form.
     *
     * @param filename the file name, or {@code null} for plain fields
     * @param data the part's bytes
     */
    record Part(String filename, byte[] data) {
    }
}
