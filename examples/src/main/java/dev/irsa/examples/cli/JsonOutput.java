package dev.irsa.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.SafeText;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintReport;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ChangeOutcome;
import dev.irsa.plan.Plan;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code --output json}: one JSON document on stdout per run, schema version {@value #SCHEMA_VERSION}, described in
 * examples/OUTPUT-JSON.md. Built with Jackson from the library's own values; a plan from {@link Plan#toJson()}, which
 * writes no sensitive value. Nothing here holds a secret: the library's messages never carry one.
 */
final class JsonOutput {
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_MESSAGE = 800;

    /** How a command prints its outcome. */
    enum Format { text, json }

    private JsonOutput() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** Writes {@code {"schemaVersion":1,"command":...,"exitCode":...,"ok":...}} followed by {@code body}'s fields. */
    static void print(PrintWriter out, String command, int exitCode, ObjectNode body) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("schemaVersion", SCHEMA_VERSION);
        doc.put("command", command);
        doc.put("exitCode", exitCode);
        doc.put("ok", exitCode == IrsaCli.OK);
        doc.setAll(body);
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of strings and numbers", e);
        }
        out.flush();
    }

    static ObjectNode plan(Plan plan) {
        try {
            return (ObjectNode) JSON.readTree(plan.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Plan.toJson wrote invalid JSON", e);
        }
    }

    static ObjectNode result(ApplyResult result) {
        ObjectNode n = JSON.createObjectNode();
        n.put("succeeded", result.succeeded());
        n.put("summary", result.summary());
        result.planFailure().ifPresent(e -> n.put("planFailure", message(e)));
        ArrayNode outcomes = n.putArray("outcomes");
        for (ChangeOutcome o : result.outcomes()) {
            ObjectNode item = outcomes.addObject();
            item.put("id", o.id().toString());
            item.put("action", o.change().action().name());
            item.put("status", o.status().name());
            item.put("attempts", o.attempts());
            item.put("durationMillis", o.duration().toMillis());
            if (!o.detail().isEmpty()) {
                item.put("detail", SafeText.shorten(o.detail(), MAX_MESSAGE));
            }
            o.error().ifPresent(e -> item.put("error", message(e)));
        }
        return n;
    }

    static ArrayNode checks(List<VerifyCheck> checks) {
        ArrayNode all = JSON.createArrayNode();
        for (VerifyCheck c : checks) {
            ObjectNode item = all.addObject();
            item.put("name", c.name());
            item.put("status", c.status().name());
            item.put("detail", c.detail());
            c.cause().ifPresent(v -> item.put("cause", v));
            c.fix().ifPresent(v -> item.put("fix", v));
        }
        return all;
    }

    static ObjectNode lint(LintReport report) {
        ObjectNode n = JSON.createObjectNode();
        n.put("unacceptedErrors", report.errors().size());
        ArrayNode findings = n.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode item = findings.addObject();
            item.put("id", f.id());
            item.put("severity", f.severity().name());
            item.put("location", f.location());
            item.put("message", f.message());
            item.put("fix", f.hint());
            item.put("accepted", report.isAccepted(f));
        }
        return n;
    }

    private static String message(Throwable e) {
        return SafeText.shorten(String.valueOf(e.getMessage()), MAX_MESSAGE);
    }
}
