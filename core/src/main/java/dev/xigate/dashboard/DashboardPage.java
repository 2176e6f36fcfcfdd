package dev.xigate.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Returns the dashboard page: one self-contained HTML document (inline CSS, JavaScript and SVG; no network access
 * but its own snapshot URL) that polls its own path plus {@link #SNAPSHOT_SUFFIX} every two seconds.
 */
public final class DashboardPage {
    /** What the page appends to its own path to poll the snapshot: {@code /dashboard} polls /dashboard/snapshot. */
    public static final String SNAPSHOT_SUFFIX = "/snapshot";
    /** The page's content type. */
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private static final String HTML = load();

    private DashboardPage() {
    }

    /** Returns the page's HTML. */
    public static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("cannot load dashboard: resource dashboard.html missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load dashboard page", e);
        }
    }
}
