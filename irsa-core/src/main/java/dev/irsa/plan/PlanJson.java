package dev.irsa.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A plan as JSON, for tools. Pure; sensitive values are never written. */
final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    static String toJson(Plan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("stack", plan.stack());
        root.put("mode", plan.mode().name());
        ObjectNode summary = root.putObject("summary");
        summary.put("add", plan.toAdd());
        summary.put("change", plan.toChange());
        summary.put("destroy", plan.toDestroy());
        summary.put("refused", plan.refused());
        ArrayNode changes = root.putArray("changes");
        for (Change change : plan.changes()) {
            ObjectNode node = changes.addObject();
            node.put("id", change.id().toString());
            node.put("type", change.id().type());
            node.put("name", change.id().name());
            node.put("action", change.action().name());
            node.put("reason", change.reason());
            node.put("observed", change.observed().name());
            node.put("adopt", change.adopt());
            ArrayNode dependsOn = node.putArray("dependsOn");
            change.dependsOn().forEach(id -> dependsOn.add(id.toString()));
            ArrayNode diffs = node.putArray("diffs");
            for (FieldDiff diff : change.diffs()) {
                ObjectNode d = diffs.addObject();
                d.put("field", diff.name());
                value(diff.before()).ifPresent(v -> d.set("before", v));
                value(diff.after()).ifPresent(v -> d.set("after", v));
            }
        }
        ArrayNode notes = root.putArray("notes");
        plan.notes().forEach(notes::add);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of strings and numbers", e);
        }
    }

    /** A known value as a string; a sensitive one as {@code {"sensitive":true}}; unknown as {@code {"unknown":true}}. */
    private static Optional<JsonNode> value(Optional<FieldValue> value) {
        return value.map(v -> {
            if (v instanceof FieldValue.Known known) {
                return MAPPER.getNodeFactory().textNode(known.text());
            }
            ObjectNode marker = MAPPER.createObjectNode();
            marker.put(v instanceof FieldValue.Sensitive ? "sensitive" : "unknown", true);
            return marker;
        });
    }
}
