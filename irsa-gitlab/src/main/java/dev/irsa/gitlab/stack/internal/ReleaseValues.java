package dev.irsa.gitlab.stack.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.irsa.aws.Ownership;
import dev.irsa.gitlab.runner.RunnerValues;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helm values as plan fields: one field per leaf path ({@code values.runners.jobNamespace}), so a plan shows
 * which value changed. {@code runners.config} is gitlab-runner TOML inside a string; it is flattened too
 * ({@code values.runners.config#runners.0.kubernetes.node_selector.pool}), falling back to the text when it is
 * not TOML. Numbers are compared by value (Helm reads values back through JSON, so 10 may come back as 10.0).
 */
public final class ReleaseValues {
    static final String PREFIX = "values.";
    private static final String RUNNERS_CONFIG = "runners.config";
    private static final TomlMapper TOML = new TomlMapper();

    private ReleaseValues() {
    }

    static Map<String, String> flatten(JsonNode values) {
        Map<String, String> out = new TreeMap<>();
        walk("", values, out);
        return out;
    }

    /** True when the values carry this stack's ownership marks in {@code deploymentLabels}. */
    public static boolean ownedBy(Map<String, Object> values, String stack) {
        if (!(values.get(RunnerValues.DEPLOYMENT_LABELS) instanceof Map<?, ?> labels)) {
            return false;
        }
        return Ownership.MANAGED_BY_VALUE.equals(labels.get(Ownership.MANAGED_BY_KEY)) && stack.equals(labels.get(Ownership.STACK_KEY));
    }

    private static void walk(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.put(PREFIX + path, "{}");
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.put(PREFIX + path, "[]");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                walk(path + "." + i, node.get(i), out);
            }
        } else if (RUNNERS_CONFIG.equals(path) && node.isTextual()) {
            flattenToml(path, node.asText(), out);
        } else {
            out.put(PREFIX + path, scalar(node));
        }
    }

    private static void flattenToml(String path, String toml, Map<String, String> out) {
        JsonNode config;
        try {
            config = TOML.readTree(toml);
        } catch (JsonProcessingException e) {
            out.put(PREFIX + path, toml);
            return;
        }
        Map<String, String> inner = new TreeMap<>();
        walk("", config, inner);
        inner.forEach((k, v) -> out.put(PREFIX + path + "#" + k.substring(PREFIX.length()), v));
    }

    private static String scalar(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.asText();
    }
}
