package dev.xigate.loadtest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link Summary} as {@code summary.json} and {@code report.html}. Stateless. */
public final class SummaryWriter {
    /** The name of the JSON summary in the output directory. */
    public static final String SUMMARY_FILE = "summary.json";
    /** The name of the HTML report in the output directory. */
    public static final String REPORT_FILE = "report.html";

    private static final ObjectMapper JSON = jsonMapper();

    private SummaryWriter() {
    }

    /** Returns the mapper that writes summaries: snake_case, indented, {@code null} written as {@code "n/a"}. */
    public static ObjectMapper jsonMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        mapper.getSerializerProvider().setNullValueSerializer(new JsonSerializer<>() {
            @Override
            public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString("n/a");
            }
        });
        return mapper;
    }

    /** Returns the summary as JSON text. */
    public static String toJson(Summary summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary as JSON", e);
        }
    }

    /**
     * Writes {@code summary.json} and {@code report.html} into {@code directory}, creating it.
     *
     * @throws UncheckedIOException when a file cannot be written
     */
    public static void write(Summary summary, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(SUMMARY_FILE), toJson(summary) + "\n", StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(REPORT_FILE), HtmlReport.render(summary), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + directory + ": " + e.getMessage(), e);
        }
    }
}
