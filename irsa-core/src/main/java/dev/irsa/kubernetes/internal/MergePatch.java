package dev.irsa.kubernetes.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Builds an RFC 7386 JSON merge patch for metadata. Carries the resourceVersion the change was computed
 * from, so the API server rejects it with 409 when the object changed meanwhile (optimistic locking;
 * works on real clusters and on the fabric8 mock server, unlike server-side apply or strategic merge).
 */
public final class MergePatch {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode root = MAPPER.createObjectNode();
    private boolean empty = true;

    public MergePatch(String resourceVersion) {
        if (resourceVersion != null) {
            metadata().put("resourceVersion", resourceVersion);
        }
    }

    public ObjectNode metadata() {
        return root.withObjectProperty("metadata");
    }

    public MergePatch setLabel(String key, String value) {
        return put("labels", key, value);
    }

    public MergePatch setAnnotation(String key, String value) {
        return put("annotations", key, value);
    }

    /** {@code null} in a merge patch removes the key. */
    public MergePatch removeLabel(String key) {
        return put("labels", key, null);
    }

    public MergePatch removeAnnotation(String key) {
        return put("annotations", key, null);
    }

    public MergePatch setData(Map<String, String> base64Data) {
        ObjectNode data = root.withObjectProperty("data");
        base64Data.forEach(data::put);
        empty = empty && base64Data.isEmpty();
        return this;
    }

    private MergePatch put(String section, String key, String value) {
        ObjectNode node = metadata().withObjectProperty(section);
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
        empty = false;
        return this;
    }

    public boolean isEmpty() {
        return empty;
    }

    public String toJson() {
        return root.toString();
    }
}
