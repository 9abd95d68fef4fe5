package dev.irsa.gitlab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key paths the gitlab-runner chart 0.86.0 documents in its values.yaml: the keys of the parsed
 * YAML plus the keys it documents commented out ({@code # gitlabUrl: ...}, {@code # secret: ...}).
 * Paths whose reference value is an empty map ({@code nodeSelector: {}}) accept any child, whatever its key.
 */
final class ChartReference {
    static final String RESOURCE = "/dev/irsa/gitlab/runner/chart-0.86.0/values.yaml";
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z_][A-Za-z0-9_-]*):(\\s|$)");
    private static final Pattern COMMENTED_KEY_LINE = Pattern.compile("^(\\s*)#(?!#)(\\s*)([A-Za-z_][A-Za-z0-9_-]*):(\\s|$)");

    final JsonNode tree;
    final Set<String> paths = new HashSet<>();
    final Set<String> freeFormMaps = new HashSet<>();
    final Set<String> commentedPaths = new HashSet<>();

    ChartReference() throws IOException {
        String text;
        try (InputStream in = ChartReference.class.getResourceAsStream(RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        tree = new ObjectMapper(new YAMLFactory()).readTree(text);
        collect("", tree);
        collectCommented(text);
    }

    private void collect(String prefix, JsonNode node) {
        if (!node.isObject()) {
            return;
        }
        if (node.isEmpty() && !prefix.isEmpty()) {
            freeFormMaps.add(prefix);
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            paths.add(path);
            collect(path, e.getValue());
        }
    }

    /** Tracks indentation over real and commented key lines; a commented key's indent is its text column - 2. */
    private void collectCommented(String text) {
        Deque<Object[]> stack = new ArrayDeque<>(); // {indent, key}
        for (String line : text.split("\n")) {
            Matcher real = KEY_LINE.matcher(line);
            Matcher commented = COMMENTED_KEY_LINE.matcher(line);
            int indent;
            String key;
            boolean isComment;
            if (real.find()) {
                indent = real.group(1).length();
                key = real.group(2);
                isComment = false;
            } else if (commented.find()) {
                int textColumn = commented.group(1).length() + 1 + commented.group(2).length();
                indent = Math.max(0, textColumn - 2);
                key = commented.group(3);
                isComment = true;
            } else {
                continue;
            }
            while (!stack.isEmpty() && (int) stack.peek()[0] >= indent) {
                stack.pop();
            }
            StringBuilder path = new StringBuilder();
            List<Object[]> parents = new java.util.ArrayList<>(stack);
            java.util.Collections.reverse(parents);
            for (Object[] p : parents) {
                path.append(p[1]).append('.');
            }
            path.append(key);
            if (isComment) {
                commentedPaths.add(path.toString());
            }
            stack.push(new Object[] {indent, key});
        }
    }

    /** True when the chart documents this key path (directly, commented out, or inside a free-form map). */
    boolean documents(String path) {
        if (paths.contains(path) || commentedPaths.contains(path)) {
            return true;
        }
        // a free-form map accepts any key, including one with dots (a label such as irsa.dev/stack)
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            if (freeFormMaps.contains(path.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }
}
