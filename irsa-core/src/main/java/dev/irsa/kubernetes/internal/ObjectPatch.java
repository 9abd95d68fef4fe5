package dev.irsa.kubernetes.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an RFC 6902 JSON Patch (what fabric8's {@code edit()} sends) that touches only the keys that
 * differ. Why not a JSON merge patch: removing a key needs {@code "key": null}, which a real API server
 * honours but the fabric8 mock server stores as a null value; {@code remove} behaves the same on both.
 *
 * <p>The first operation writes back the resourceVersion the change was computed from. The API server
 * treats a resourceVersion in the patched object as a precondition, so a concurrent change makes the
 * patch fail with 409 Conflict (real clusters and the mock server alike) instead of being overwritten.
 */
public final class ObjectPatch {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ArrayNode ops = MAPPER.createArrayNode();
    private final Map<String, Map<String, String>> current = new LinkedHashMap<>();
    private final Map<String, ObjectNode> createdSections = new LinkedHashMap<>();
    private int changes;

    /**
     * @param resourceVersion the version the caller read
     * @param sections        the current maps by JSON pointer ({@code /metadata/labels}, {@code /data}, ...);
     *                        {@code null} values mean the map is absent on the object
     */
    public ObjectPatch(String resourceVersion, Map<String, Map<String, String>> sections) {
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
        current.putAll(sections);
    }

    /** Sets {@code key} in the map at {@code section} unless it already has this value. */
    public ObjectPatch set(String section, String key, String value) {
        Map<String, String> have = current.get(section);
        if (have != null && value.equals(have.get(key))) {
            return this;
        }
        if (have == null) {
            ObjectNode created = createdSections.get(section);
            if (created == null) {
                created = ops.addObject().put("op", "add").put("path", section).putObject("value");
                createdSections.put(section, created);
            }
            created.put(key, value);
        } else {
            ops.addObject().put("op", "add").put("path", section + "/" + escape(key)).put("value", value);
        }
        changes++;
        return this;
    }

    /** Removes {@code key} from the map at {@code section} if present. */
    public ObjectPatch remove(String section, String key) {
        Map<String, String> have = current.get(section);
        if (have != null && have.containsKey(key)) {
            ops.addObject().put("op", "remove").put("path", section + "/" + escape(key));
            changes++;
        }
        return this;
    }

    /** Number of keys this patch changes; 0 means nothing to send. */
    public int changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes == 0;
    }

    public String toJson() {
        return ops.toString();
    }

    /** RFC 6901: '~' → '~0', '/' → '~1'. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
