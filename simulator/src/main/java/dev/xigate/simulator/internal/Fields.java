package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads typed fields of a request, collecting every problem the way pydantic v2 reports it (FastAPI's 422 list), so
 * that one answer lists all bad fields. Call {@link #throwIfInvalid()} once all fields are read. Not thread-safe.
 */
final class Fields {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ArrayNode errors = NODES.arrayNode();
    private final List<String> prefix;
    private final boolean body;
    private final Function<String, JsonNode> source;
    private final JsonNode whole;

    private Fields(List<String> prefix, boolean body, Function<String, JsonNode> source, JsonNode whole) {
        this.prefix = List.copyOf(prefix);
        this.body = body;
        this.source = source;
        this.whole = whole;
    }

    static Fields ofBody(ObjectNode body) {
        return new Fields(List.of("body"), true, body::get, body);
    }

    /** Reads an object nested in the body; errors are located under {@code ["body", parent...]}. */
    static Fields ofNested(ObjectNode node, String... parents) {
        List<String> path = new ArrayList<>(List.of("body"));
        path.addAll(List.of(parents));
        return new Fields(path, true, node::get, node);
    }

    /** Reads query parameters (or form fields): every value arrives as text and is parsed like pydantic's lax mode. */
    static Fields ofText(String location, Function<String, String> values) {
        return new Fields(List.of(location), false, name -> {
            String value = values.apply(name);
            return value == null ? null : TextNode.valueOf(value);
        }, NullNode.getInstance());
    }

    String requiredString(String name) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull() && !body) {
            error("missing", name, "Field required", body ? whole : NullNode.getInstance());
            return null;
        }
        return stringOf(name, node);
    }

    String optionalString(String name) {
        JsonNode node = source.apply(name);
        return node == null || node.isNull() ? null : stringOf(name, node);
    }

    private String stringOf(String name, JsonNode node) {
        if (!node.isTextual()) {
            error("string_type", name, "Input should be a valid string", node);
            return null;
        }
        return node.asText();
    }

    Long optionalLong(String name, long min, long max) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull()) {
            return null;
        }
        Long value = null;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            value = (long) node.asDouble();
        } else if (node.isTextual()) {
            try {
                value = Long.parseLong(node.asText().trim());
            } catch (NumberFormatException ignored) {
                // Reported below with pydantic's wording for unparsable strings.
                error("int_parsing", name, "Input should be a valid integer, unable to parse string as an integer",
                        node);
                return null;
            }
        }
        if (value == null) {
            error("int_type", name, "Input should be a valid integer", node);
            return null;
        }
        return bounded(name, value, min, max, node) ? value : null;
    }

    Double optionalDouble(String name, double min, double max) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull()) {
            return null;
        }
        Double value = null;
        if (node.isNumber()) {
            value = node.asDouble();
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException ignored) {
                // Reported below with pydantic's wording for unparsable strings.
                error("float_parsing", name, "Input should be a valid number, unable to parse string as a number",
                        node);
                return null;
            }
        }
        if (value == null) {
            error("float_type", name, "Input should be a valid number", node);
            return null;
        }
        return bounded(name, value, min, max, node) ? value : null;
    }

    Boolean optionalBoolean(String name) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual()) {
            String text = node.asText().trim().toLowerCase(Locale.ROOT);
            if (List.of("true", "1", "yes", "on", "t", "y").contains(text)) {
                return true;
            }
            if (List.of("false", "0", "no", "off", "f", "n").contains(text)) {
                return false;
            }
            error("bool_parsing", name, "Input should be a valid boolean, unable to interpret input", node);
            return null;
        }
        if (node.isIntegralNumber() && (node.asLong() == 0 || node.asLong() == 1)) {
            return node.asLong() == 1;
        }
        error("bool_type", name, "Input should be a valid boolean", node);
        return null;
    }

    ObjectNode optionalObject(String name) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            error("model_attributes_type", name, "Input should be a valid dictionary or object to extract fields from",
                    node);
            return null;
        }
        return (ObjectNode) node;
    }

    ArrayNode optionalArray(String name, int maxItems) {
        JsonNode node = source.apply(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            error("list_type", name, "Input should be a valid list", node);
            return null;
        }
        if (node.size() > maxItems) {
            ObjectNode ctx = NODES.objectNode().put("field_type", "List").put("max_length", maxItems)
                    .put("actual_length", node.size());
            errorWithCtx("too_long", name, "List should have at most " + maxItems + " items after validation, not "
                    + node.size(), node, ctx);
            return null;
        }
        return (ArrayNode) node;
    }

    String optionalEnum(String name, List<String> allowed) {
        String value = optionalString(name);
        if (value != null && !allowed.contains(value)) {
            String expected = expectedList(allowed);
            errorWithCtx("enum", name, "Input should be " + expected, TextNode.valueOf(value),
                    NODES.objectNode().put("expected", expected));
            return null;
        }
        return value;
    }

    /** Adds the errors another reader collected (a nested object's). */
    void addAll(Fields nested) {
        errors.addAll(nested.errors);
    }

    void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ValidationFailure(errors);
        }
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    private boolean bounded(String name, double value, double min, double max, JsonNode input) {
        if (value < min) {
            errorWithCtx("greater_than_equal", name, "Input should be greater than or equal to " + number(min), input,
                    NODES.objectNode().put("ge", number(min)));
            return false;
        }
        if (value > max) {
            errorWithCtx("less_than_equal", name, "Input should be less than or equal to " + number(max), input,
                    NODES.objectNode().put("le", number(max)));
            return false;
        }
        return true;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String expectedList(List<String> allowed) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < allowed.size(); i++) {
            if (i > 0) {
                text.append(i == allowed.size() - 1 ? " or " : ", ");
            }
            text.append('\'').append(allowed.get(i)).append('\'');
        }
        return text.toString();
    }

    private void error(String type, String name, String message, JsonNode input) {
        errorWithCtx(type, name, message, input, null);
    }

    private void errorWithCtx(String type, String name, String message, JsonNode input, ObjectNode ctx) {
        ObjectNode entry = errors.addObject();
        entry.put("type", type);
        ArrayNode loc = entry.putArray("loc");
        prefix.forEach(loc::add);
        loc.add(name);
        entry.put("msg", message);
        entry.set("input", input == null ? NullNode.getInstance() : input);
        if (ctx != null) {
            entry.set("ctx", ctx);
        }
    }
}
