package dev.xigate.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parser for the Prometheus text exposition format (version 0.0.4), enough to read a gateway's gauges, counters
 * and histogram sums. Comment lines are skipped; a malformed line is skipped, not fatal. Stateless.
 */
public final class PrometheusText {

    /**
     * One sample line.
     *
     * @param name the metric name with its suffix ({@code _total}, {@code _sum}, ...)
     * @param labels the labels in the order written
     * @param value the value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /** Returns every sample of a scrape. */
    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Sample sample = parseLine(trimmed);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    /** Returns the sum of the samples whose name passes the filter, or {@code null} when there is none. */
    public static Double sum(List<Sample> samples, Predicate<String> name) {
        double total = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (name.test(sample.name()) && !Double.isNaN(sample.value())) {
                total += sample.value();
                found = true;
            }
        }
        return found ? total : null;
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = parseLabels(line, brace + 1, labels);
            if (rest < 0) {
                return null;
            }
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] tail = line.substring(rest).strip().split("\\s+");
        try {
            return new Sample(name, labels, parseValue(tail[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (j < line.length() && line.charAt(j) != '"') {
                char ch = line.charAt(j);
                if (ch == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(ch);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
