package dev.irsa.policy.internal;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPolicyWriter;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes policy documents through iam-policy-builder ({@link IamPolicy#fromJson},
 * {@link IamPolicyWriter}) and the SDK's own JSON layer it is built on.
 *
 * <p>Why more than {@code IamPolicy.fromJson/toJson}: the reader silently drops unknown fields
 * (a typo'd {@code "Conditon"} would widen a trust) and non-string condition values
 * ({@code "Bool": {"aws:SecureTransport": false}}), and the writer collapses every one-element list to
 * a scalar, {@code "Statement"} included. So documents are checked for structure before they reach the
 * reader, boolean/number condition values are passed as strings, and the {@link Shape} of the input
 * (which values were lists, which were booleans/numbers) is re-applied to the writer's output, so that
 * {@code toJson(fromJson(x))} is JSON-equal to {@code x}.
 */
public final class PolicyJson {
    private static final JsonNodeParser PARSER = JsonNode.parser();
    private static final IamPolicyWriter COMPACT = IamPolicyWriter.create();

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    private PolicyJson() {
    }

    /** Which document kind is parsed; trust documents need a principal and have no resource. */
    public enum Kind { TRUST, PERMISSIONS }

    /** The JSON shape details iam-policy-builder does not keep. Immutable. */
    public static final class Shape {
        private final Set<String> arrays;
        private final Map<String, String> scalarKinds;
        private final boolean omitVersion;

        private Shape(Set<String> arrays, Map<String, String> scalarKinds, boolean omitVersion) {
            this.arrays = Set.copyOf(arrays);
            this.scalarKinds = Map.copyOf(scalarKinds);
            this.omitVersion = omitVersion;
        }

        /** The shape IAM itself writes and the seed uses: {@code "Statement"} is a list, everything else minimal. */
        public static Shape canonical() {
            return new Shape(Set.of("Statement"), Map.of(), false);
        }
    }

    public record Parsed(IamPolicy policy, Shape shape, String json) {
    }

    /**
     * IAM's Get*Policy calls return documents URL-encoded ({@code %7B%22Version%22...}). Decodes such a
     * document; returns anything else unchanged. A literal {@code +} stays a plus (IAM percent-encodes).
     */
    public static String decodeIfUrlEncoded(String field, String raw) {
        String s = raw.strip();
        if (s.startsWith("%")) {
            try {
                return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field, raw, "looks URL-encoded but is not: " + e.getMessage());
            }
        }
        return s;
    }

    public static Parsed parse(String field, String raw, Kind kind) {
        Validators.notBlank(field, raw);
        String json = decodeIfUrlEncoded(field, raw);
        Validators.policyCharacters(field, json);
        JsonNode root;
        try {
            root = PARSER.parse(json);
        } catch (RuntimeException e) {
            throw new ValidationException(field, json, "not valid JSON: " + firstLine(e.getMessage()));
        }
        Set<String> arrays = new HashSet<>();
        Map<String, String> kinds = new HashMap<>();
        checkDocument(field, json, root, kind, arrays, kinds);
        String normalized = write(root, new Shape(Set.of(), Map.of(), false), false, true);
        IamPolicy policy;
        try {
            policy = IamPolicy.fromJson(normalized);
        } catch (RuntimeException e) {
            throw new ValidationException(field, json, "not an IAM policy document: " + firstLine(e.getMessage()));
        }
        // IamPolicy fills in a missing Version with 2012-10-17; remember that the input had none.
        return new Parsed(policy, new Shape(arrays, kinds, !root.asObject().containsKey("Version")), json);
    }

    /** The policy as JSON written by {@link IamPolicyWriter}, with the given shape re-applied. */
    public static String render(IamPolicy policy, Shape shape, boolean pretty) {
        JsonNode written = PARSER.parse(policy.toJson(COMPACT));
        return write(written, shape, pretty, false);
    }

    // ---- structure checks -----------------------------------------------------------------------

    private static void checkDocument(String field, String json, JsonNode root, Kind kind, Set<String> arrays, Map<String, String> kinds) {
        if (!root.isObject()) {
            throw new ValidationException(field, json, "a policy document is a JSON object");
        }
        Map<String, JsonNode> top = root.asObject();
        for (String key : top.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new ValidationException(field + "." + key, json, "unknown top-level element '" + key + "'; a policy has only Version, Id and Statement");
            }
        }
        JsonNode version = top.get("Version");
        if (version != null && (!version.isString() || !VERSIONS.contains(version.asString()))) {
            throw new ValidationException(field + ".Version", version.text(), "Version is \"2012-10-17\" (or the legacy \"2008-10-17\")");
        }
        JsonNode statement = top.get("Statement");
        if (statement == null) {
            throw new ValidationException(field + ".Statement", json, "a policy needs a Statement");
        }
        List<JsonNode> statements;
        if (statement.isArray()) {
            arrays.add("Statement");
            statements = statement.asArray();
        } else if (statement.isObject()) {
            statements = List.of(statement);
        } else {
            throw new ValidationException(field + ".Statement", json, "Statement is an object or a list of objects");
        }
        if (statements.isEmpty()) {
            throw new ValidationException(field + ".Statement", json, "a policy needs at least one statement");
        }
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < statements.size(); i++) {
            checkStatement(field, "Statement[" + i + "]", statements.get(i), kind, arrays, kinds);
            JsonNode sid = statements.get(i).asObject().get("Sid");
            if (sid != null && !sid.asString().isEmpty() && !sids.add(sid.asString())) {
                throw new ValidationException(field + ".Statement[" + i + "].Sid", sid.asString(), "statement ids (Sid) must be unique within an IAM policy");
            }
        }
    }

    private static void checkStatement(String field, String path, JsonNode node, Kind kind, Set<String> arrays, Map<String, String> kinds) {
        String f = field + "." + path;
        if (!node.isObject()) {
            throw new ValidationException(f, node.toString(), "a statement is a JSON object");
        }
        Map<String, JsonNode> st = node.asObject();
        for (String key : st.keySet()) {
            if (!STATEMENT_FIELDS.contains(key)) {
                throw new ValidationException(f + "." + key, node.toString(), "unknown statement element '" + key + "'; allowed: " + STATEMENT_FIELDS.stream().sorted().toList());
            }
        }
        JsonNode effect = st.get("Effect");
        if (effect == null || !effect.isString() || !(effect.asString().equals("Allow") || effect.asString().equals("Deny"))) {
            throw new ValidationException(f + ".Effect", effect == null ? null : effect.text(), "Effect is \"Allow\" or \"Deny\"");
        }
        JsonNode sid = st.get("Sid");
        if (sid != null && !sid.isString()) {
            throw new ValidationException(f + ".Sid", sid.toString(), "Sid is a string");
        }
        exactlyOne(f, st, "Action", "NotAction");
        boolean principal = st.containsKey("Principal") || st.containsKey("NotPrincipal");
        boolean resource = st.containsKey("Resource") || st.containsKey("NotResource");
        if (kind == Kind.TRUST) {
            exactlyOne(f, st, "Principal", "NotPrincipal");
            if (resource) {
                throw new ValidationException(f + ".Resource", node.toString(), "a trust policy statement has no Resource/NotResource (the role is the resource)");
            }
        } else {
            if (principal) {
                throw new ValidationException(f + ".Principal", node.toString(), "a permissions (identity) policy statement has no Principal/NotPrincipal");
            }
            exactlyOne(f, st, "Resource", "NotResource");
        }
        for (String listField : List.of("Action", "NotAction", "Resource", "NotResource")) {
            JsonNode n = st.get(listField);
            if (n != null) {
                stringOrStringList(f + "." + listField, path + "." + listField, n, arrays, null);
            }
        }
        for (String pField : List.of("Principal", "NotPrincipal")) {
            JsonNode n = st.get(pField);
            if (n == null) {
                continue;
            }
            if (n.isString()) {
                if (!n.asString().equals("*")) {
                    throw new ValidationException(f + "." + pField, n.asString(), "a principal is \"*\" or an object like {\"Federated\": \"arn:...\"}");
                }
            } else if (n.isObject()) {
                if (n.asObject().isEmpty()) {
                    throw new ValidationException(f + "." + pField, "{}", "a principal object names at least one principal");
                }
                n.asObject().forEach((type, ids) ->
                        stringOrStringList(f + "." + pField + "." + type, path + "." + pField + "." + type, ids, arrays, null));
            } else {
                throw new ValidationException(f + "." + pField, n.toString(), "a principal is \"*\" or an object like {\"Federated\": \"arn:...\"}");
            }
        }
        JsonNode condition = st.get("Condition");
        if (condition != null) {
            if (!condition.isObject()) {
                throw new ValidationException(f + ".Condition", condition.toString(), "Condition is an object {operator: {key: value(s)}}");
            }
            condition.asObject().forEach((operator, keys) -> {
                String cf = f + ".Condition." + operator;
                if (!keys.isObject() || keys.asObject().isEmpty()) {
                    throw new ValidationException(cf, keys.toString(), "a condition operator maps at least one condition key to a value or list of values");
                }
                keys.asObject().forEach((key, values) ->
                        stringOrStringList(cf + "." + key, path + ".Condition." + operator + "." + key, values, arrays, kinds));
            });
        }
    }

    private static void exactlyOne(String f, Map<String, JsonNode> st, String a, String b) {
        boolean hasA = st.containsKey(a);
        boolean hasB = st.containsKey(b);
        if (hasA == hasB) {
            throw new ValidationException(f + "." + a, hasA ? "both " + a + " and " + b : null,
                    "a statement has exactly one of " + a + " or " + b);
        }
    }

    /** A string or a non-empty list of strings; with {@code kinds}, booleans and numbers are allowed too (conditions). */
    private static void stringOrStringList(String f, String path, JsonNode n, Set<String> arrays, Map<String, String> kinds) {
        if (n.isArray()) {
            List<JsonNode> items = n.asArray();
            if (items.isEmpty()) {
                throw new ValidationException(f, "[]", "an empty list is not allowed here");
            }
            arrays.add(path);
            for (int i = 0; i < items.size(); i++) {
                scalar(f, path + "[" + i + "]", items.get(i), kinds);
            }
        } else {
            scalar(f, path, n, kinds);
        }
    }

    private static void scalar(String f, String path, JsonNode n, Map<String, String> kinds) {
        if (n.isString()) {
            if (n.asString().isEmpty() && kinds == null) {
                throw new ValidationException(f, "", "must not be empty");
            }
            return;
        }
        if (kinds != null && n.isBoolean()) {
            kinds.put(path, "boolean");
            return;
        }
        if (kinds != null && n.isNumber()) {
            kinds.put(path, "number");
            return;
        }
        throw new ValidationException(f, n.toString(), kinds == null ? "must be a string or a list of strings"
                : "a condition value is a string, boolean, number or a list of those");
    }

    // ---- writing --------------------------------------------------------------------------------

    /**
     * Writes a JSON tree. With {@code stringify}, booleans/numbers become strings (for the reader);
     * otherwise the shape turns scalars back into lists / booleans / numbers where the input had them.
     */
    private static String write(JsonNode root, Shape shape, boolean pretty, boolean stringify) {
        JsonWriter.Builder builder = JsonWriter.builder();
        if (pretty) {
            builder.jsonGeneratorFactory(os -> {
                JsonGenerator generator = JsonNodeParser.DEFAULT_JSON_FACTORY.createGenerator(os);
                generator.useDefaultPrettyPrinter();
                return generator;
            });
        }
        JsonWriter writer = builder.build();
        writeNode(writer, root, "", shape, stringify);
        return new String(writer.getBytes(), StandardCharsets.UTF_8);
    }

    private static void writeNode(JsonWriter w, JsonNode n, String path, Shape shape, boolean stringify) {
        if (n.isObject()) {
            w.writeStartObject();
            n.asObject().forEach((key, child) -> {
                if (path.isEmpty() && "Version".equals(key) && shape.omitVersion) {
                    return;
                }
                w.writeFieldName(key);
                String childPath = path.isEmpty() ? key : path + "." + key;
                if ("Statement".equals(childPath) && child.isObject()) {
                    if (shape.arrays.contains("Statement")) {
                        w.writeStartArray();
                        writeNode(w, child, "Statement[0]", shape, stringify);
                        w.writeEndArray();
                    } else {
                        writeNode(w, child, "Statement[0]", shape, stringify);
                    }
                } else {
                    writeNode(w, child, childPath, shape, stringify);
                }
            });
            w.writeEndObject();
        } else if (n.isArray()) {
            w.writeStartArray();
            List<JsonNode> items = n.asArray();
            for (int i = 0; i < items.size(); i++) {
                writeNode(w, items.get(i), path + "[" + i + "]", shape, stringify);
            }
            w.writeEndArray();
        } else if (!stringify && shape.arrays.contains(path) && !path.equals("Statement")) {
            w.writeStartArray();
            writeScalar(w, n, path + "[0]", shape, false);
            w.writeEndArray();
        } else {
            writeScalar(w, n, path, shape, stringify);
        }
    }

    private static void writeScalar(JsonWriter w, JsonNode n, String path, Shape shape, boolean stringify) {
        if (n.isString()) {
            String kind = stringify ? null : shape.scalarKinds.get(path);
            if ("boolean".equals(kind) && (n.asString().equals("true") || n.asString().equals("false"))) {
                w.writeValue(Boolean.parseBoolean(n.asString()));
            } else if ("number".equals(kind)) {
                w.writeNumber(n.asString());
            } else {
                w.writeValue(n.asString());
            }
        } else if (n.isBoolean()) {
            if (stringify) {
                w.writeValue(Boolean.toString(n.asBoolean()));
            } else {
                w.writeValue(n.asBoolean());
            }
        } else if (n.isNumber()) {
            if (stringify) {
                w.writeValue(n.asNumber());
            } else {
                w.writeNumber(n.asNumber());
            }
        } else {
            w.writeNull();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
