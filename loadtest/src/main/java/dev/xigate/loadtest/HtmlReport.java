package dev.xigate.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders a {@link Summary} as one self-contained HTML page: inline CSS and inline SVG charts drawn here (no
 * script, no CDN, no web font), so the report opens offline and can be attached to a ticket. Stateless.
 */
public final class HtmlReport {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 220;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 30;

    private HtmlReport() {
    }

    /** A line on a chart: a value per timeline point ({@code null} leaves a gap). */
    private record Series(String name, String color, List<Double> values, boolean dashed) {
    }

    /** Returns the report for a summary. */
    public static String render(Summary summary) {
        List<Summary.TimePoint> points = summary.timeline();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>xigate loadtest report</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1140px}")
                .append("table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;")
                .append("padding:4px 8px;text-align:left}th{background:#f3f3f3}.pass{color:#16794a;font-weight:bold}")
                .append(".fail{color:#b3261e;font-weight:bold}svg.chart{display:block;margin:8px 0 20px;")
                .append("border:1px solid #ddd;background:#fff}</style></head><body>\n");
        Summary.Verdict verdict = summary.verdict();
        html.append("<h1>xigate loadtest: <span id=\"verdict\" class=\"").append(verdict.passed() ? "pass" : "fail")
                .append("\">").append(verdict.passed() ? "PASS" : "FAIL").append("</span></h1>\n");
        html.append("<p>").append(esc(summary.startedAt())).append(" to ").append(esc(summary.finishedAt()))
                .append(" (").append(summary.elapsedSeconds()).append(" s)</p>\n");
        checks(html, verdict);
        html.append("<h2>Charts</h2>\n");
        html.append(chart("chart-latency", "Latency per second (ms, from intended send time)", points, List.of(
                series("p50", "#1f77b4", points, Summary.TimePoint::p50Ms),
                series("p99", "#d62728", points, Summary.TimePoint::p99Ms),
                series("max", "#9467bd", points, Summary.TimePoint::maxMs))));
        html.append(chart("chart-throughput", "Throughput (requests per second)", points, List.of(
                series("completed", "#2ca02c", points, p -> (double) p.completed()),
                series("sent", "#7f7f7f", points, p -> (double) p.sent()))));
        int limit = summary.upstream().limits().values().stream().mapToInt(Integer::intValue).sum();
        List<Series> concurrency = new ArrayList<>();
        concurrency.add(series("upstream in flight", "#ff7f0e", points, Summary.TimePoint::upstreamConcurrency));
        concurrency.add(series("client in flight", "#17becf", points, p -> (double) p.inFlight()));
        if (limit > 0) {
            concurrency.add(new Series("plan limit (" + limit + ")", "#b3261e",
                    points.stream().map(p -> (double) limit).toList(), true));
        }
        html.append(chart("chart-concurrency", "Concurrency against the plan limit (source: "
                + summary.upstream().source() + ")", points, concurrency));
        html.append(chart("chart-queue", "Gateway queue depth", points, List.of(
                series("queue depth", "#8c564b", points, Summary.TimePoint::queueDepth))));
        html.append(chart("chart-queue-wait", "Gateway queue wait (ms, mean per second)", points, List.of(
                series("queue wait", "#e377c2", points, Summary.TimePoint::queueWaitMs))));
        html.append(chart("chart-errors", "Errors per second", points, List.of(
                series("errors", "#d62728", points, p -> (double) p.errors()))));
        figures(html, summary);
        table(html, "Errors by status", summary.errors().byStatus());
        table(html, "Errors by type", summary.errors().byType());
        table(html, "Settings", summary.settings());
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void checks(StringBuilder html, Summary.Verdict verdict) {
        html.append("<h2>Checks</h2><table id=\"checks\"><tr><th>check</th><th>result</th><th>detail</th></tr>");
        for (Summary.Check check : verdict.checks()) {
            html.append("<tr><td>").append(esc(check.name())).append("</td><td class=\"")
                    .append(check.passed() ? "pass\">pass" : "fail\">fail").append("</td><td>")
                    .append(esc(check.detail())).append("</td></tr>");
        }
        html.append("</table>\n");
    }

    private static void figures(StringBuilder html, Summary summary) {
        html.append("<h2>Figures</h2><table id=\"figures\"><tr><th></th><th>p50</th><th>p90</th><th>p95</th>")
                .append("<th>p99</th><th>max</th><th>count</th></tr>");
        latencyRow(html, "latency (ms)", summary.latencyMs());
        latencyRow(html, "service time (ms)", summary.serviceTimeMs());
        latencyRow(html, "time to first byte (ms)", summary.ttfbMs());
        summary.byEndpoint().forEach((endpoint, figures) -> latencyRow(html, endpoint + " latency (ms), "
                + figures.succeeded() + " ok / " + figures.failed() + " failed", figures.latencyMs()));
        html.append("</table>\n");
        Summary.Requests r = summary.requests();
        Summary.Gateway g = summary.gateway();
        Summary.Upstream u = summary.upstream();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("planned / sent", r.planned() + " / " + r.sent());
        rows.put("succeeded / failed / unfinished", r.succeeded() + " / " + r.failed() + " / " + r.unfinished());
        rows.put("error rate", String.format(Locale.ROOT, "%.2f %%", summary.errors().rate() * 100));
        rows.put("throughput mean / peak (rps)", summary.throughputRps().mean() + " / "
                + summary.throughputRps().peak());
        rows.put("goodput (2xx per s)", String.valueOf(summary.throughputRps().successMean()));
        rows.put("gateway retries / breaker transitions", na(g.retries()) + " / " + na(g.breakerTransitions()));
        rows.put("queue depth max / mean wait (ms)", na(g.maxQueueDepth()) + " / " + na(g.meanQueueWaitMs()));
        rows.put("upstream max concurrency / limit (" + u.source() + ")", u.maxConcurrency() + " / " + u.limits());
        rows.put("upstream counted requests / errors", na(u.requestsCounted()) + " / " + na(u.errorsCounted()));
        table(html, "Requests and throughput", rows);
    }

    private static void latencyRow(StringBuilder html, String name, LatencyStats stats) {
        html.append("<tr><th>").append(esc(name)).append("</th>");
        if (stats.count() == 0) {
            html.append("<td colspan=\"6\">n/a</td></tr>");
            return;
        }
        for (double value : new double[] {stats.p50(), stats.p90(), stats.p95(), stats.p99(), stats.max()}) {
            html.append("<td>").append(value).append("</td>");
        }
        html.append("<td>").append(stats.count()).append("</td></tr>");
    }

    private static String na(Object value) {
        return value == null ? "n/a" : value.toString();
    }

    private static void table(StringBuilder html, String title, Map<String, ?> rows) {
        html.append("<h2>").append(esc(title)).append("</h2><table>");
        if (rows.isEmpty()) {
            html.append("<tr><td>none</td></tr>");
        }
        rows.entrySet().forEach(row ->
                html.append("<tr><th>").append(esc(row.getKey())).append("</th><td>")
                        .append(esc(na(row.getValue()))).append("</td></tr>"));
        html.append("</table>\n");
    }

    private static Series series(String name, String color, List<Summary.TimePoint> points,
            Function<Summary.TimePoint, Double> value) {
        return new Series(name, color, points.stream().map(value).toList(), false);
    }

    private static String chart(String id, String title, List<Summary.TimePoint> points, List<Series> series) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" ")
                .append("width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(esc(title))
                .append("\"><text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\" font-weight=\"bold\">")
                .append(esc(title)).append("</text>");
        double maxY = 0;
        for (Series line : series) {
            for (Double value : line.values()) {
                if (value != null && Double.isFinite(value)) {
                    maxY = Math.max(maxY, value);
                }
            }
        }
        boolean hasData = series.stream().filter(s -> !s.dashed())
                .anyMatch(s -> s.values().stream().anyMatch(v -> v != null));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#999\"/>");
        if (!hasData) {
            svg.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(TOP + plotH / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#777\">n/a: no data for this run</text></svg>\n");
            return svg.toString();
        }
        double top = niceCeiling(maxY);
        int lastSecond = points.isEmpty() ? 1 : Math.max(1, points.get(points.size() - 1).second());
        axes(svg, top, lastSecond, plotW, plotH);
        int legendX = LEFT + 20 + title.length() * 8;
        for (Series line : series) {
            svg.append(polyline(line, points, top, lastSecond, plotW, plotH));
            svg.append("<rect x=\"").append(legendX).append("\" y=\"8\" width=\"12\" height=\"12\" fill=\"")
                    .append(line.color()).append("\"/><text x=\"").append(legendX + 16)
                    .append("\" y=\"18\" font-size=\"12\">").append(esc(line.name())).append("</text>");
            legendX += 30 + line.name().length() * 7;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void axes(StringBuilder svg, double top, int lastSecond, int plotW, int plotH) {
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            int y = TOP + plotH - (int) Math.round(plotH * i / 4.0);
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"")
                    .append(y).append("\" y2=\"").append(y).append("\" stroke=\"#eee\"/><text x=\"")
                    .append(LEFT - 6).append("\" y=\"").append(y + 4)
                    .append("\" font-size=\"11\" text-anchor=\"end\">").append(label(value)).append("</text>");
        }
        int ticks = Math.min(5, lastSecond);
        for (int i = 0; i <= ticks; i++) {
            int second = (int) Math.round(lastSecond * i / (double) ticks);
            int x = LEFT + (int) Math.round(plotW * second / (double) lastSecond);
            svg.append("<text x=\"").append(x).append("\" y=\"").append(TOP + plotH + 16)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">").append(second).append(" s</text>");
        }
    }

    private static String polyline(Series line, List<Summary.TimePoint> points, double top, int lastSecond,
            int plotW, int plotH) {
        StringBuilder out = new StringBuilder();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Double value = line.values().get(i);
            if (value == null || !Double.isFinite(value)) {
                flush(out, segment, line);
                continue;
            }
            double x = LEFT + plotW * (points.get(i).second() / (double) lastSecond);
            double y = TOP + plotH - plotH * (value / top);
            segment.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        flush(out, segment, line);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder segment, Series line) {
        if (segment.isEmpty()) {
            return;
        }
        out.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(line.color()).append('"');
        if (line.dashed()) {
            out.append(" stroke-dasharray=\"6,4\"");
        }
        out.append(" points=\"").append(segment.toString().strip()).append("\"/>");
        segment.setLength(0);
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
