package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.irsa.SafeText;
import dev.irsa.ValidationException;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintReport;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.PolicyLinter;
import dev.irsa.policy.TrustPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code irsa lint FILE}: a policy JSON file (a trust policy when a statement has a Principal, else a
 * permissions policy). One finding per line, starting with its id and severity; exit 1 while an ERROR
 * is left that was not accepted with {@code --accept}.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Lint a policy file (JSON: trust policy when a statement has a Principal, else permissions policy)",
                "or a stack spec (.yaml/.yml: its policies, trust and runner values).",
                "Prints one finding per line (id, severity, location, message, fix)."},
        footer = {"", "Exit codes: 0 no unaccepted ERROR, 1 an ERROR is left, 2 the file is unreadable or invalid."})
final class LintCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "FILE", description = "A policy JSON file or a stack spec YAML file.")
    Path file;
    @Option(names = "--accept", split = ",", paramLabel = "ID", description = "Findings accepted deliberately: IRSA-P002@<inline policy>, IRSA-T004@trust, or a bare id when one policy reports it; repeatable.")
    List<String> accepted = new ArrayList<>();
    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: one JSON document on stdout (schemaVersion 1, see examples/OUTPUT-JSON.md).")
    JsonOutput.Format output = JsonOutput.Format.text;

    @Override
    public Integer call() {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return lintStackSpec();
        }
        String text = read(file);
        LintReport report = lint(text).accept(accepted.toArray(String[]::new));
        int exit = report.hasErrors() ? IrsaCli.FAILED : IrsaCli.OK;
        if (output == JsonOutput.Format.json) {
            ArrayNode reports = JsonOutput.array();
            reports.add(JsonOutput.lint(report));
            printJson(exit, reports);
        } else {
            print(report, spec.commandLine().getOut());
        }
        return exit;
    }

    private void printJson(int exit, ArrayNode reports) {
        JsonOutput.print(spec.commandLine().getOut(), "lint", exit, JsonOutput.object().put("file", file.toString()).set("reports", reports));
    }

    /** A stack spec: its policies and runner values, per environment; the spec's acceptLint ids count as accepted. */
    private int lintStackSpec() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = output == JsonOutput.Format.json;
        boolean errors = false;
        ArrayNode reports = JsonOutput.array();
        dev.irsa.gitlab.stack.StackSpec read = SpecArtifacts.readSpec(file);
        if (read.runnerStack().isEmpty()) {
            for (dev.irsa.binding.RoleBinding binding : read.bindings()) {
                LintReport report = binding.lint().accept(accepted.toArray(String[]::new));
                if (json) {
                    reports.add(JsonOutput.object().put("binding", binding.name()).setAll(JsonOutput.lint(report)));
                } else {
                    out.println("# binding " + binding.name());
                    print(report, out);
                }
                errors |= report.hasErrors();
            }
        }
        List<dev.irsa.gitlab.stack.RunnerStack> stacks = read.runnerStack().isPresent() ? SpecArtifacts.stacks(file, null) : List.of();
        for (dev.irsa.gitlab.stack.RunnerStack stack : stacks) {
            LintReport report = stack.lint().accept(accepted.toArray(String[]::new));
            if (json) {
                reports.add(JsonOutput.object().put("stack", stack.name()).setAll(JsonOutput.lint(report)));
            } else {
                if (stacks.size() > 1) {
                    out.println("# stack " + stack.name());
                }
                print(report, out);
            }
            errors |= report.hasErrors();
        }
        int exit = errors ? IrsaCli.FAILED : IrsaCli.OK;
        if (json) {
            printJson(exit, reports);
        }
        return exit;
    }

    static LintReport lint(String json) {
        return isTrustPolicy(json) ? PolicyLinter.lintTrust(TrustPolicy.fromJson(json)) : PolicyLinter.lintPermissions(PermissionsPolicy.fromJson(json));
    }

    static void print(LintReport report, PrintWriter out) {
        for (Finding f : report.findings()) {
            // A finding quotes the policy (Sid, actions, conditions): escaped, so the file cannot drive the terminal.
            out.println(SafeText.escape(f.toString()) + (report.isAccepted(f) ? " [accepted]" : ""));
        }
        int errors = report.errors().size();
        out.println(report.findings().size() + " finding(s), " + errors + " unaccepted error(s)");
        out.flush();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ValidationException("FILE", file, "a readable file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A trust policy names who may assume the role: some statement has a Principal (or NotPrincipal). */
    static boolean isTrustPolicy(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ValidationException("FILE", json.length() > 60 ? json.substring(0, 60) : json, "a JSON policy document (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("FILE", json, "a JSON object with a Statement");
        }
        JsonNode statements = root.path("Statement");
        List<JsonNode> all = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(all::add);
        } else if (statements.isObject()) {
            all.add(statements);
        }
        return all.stream().anyMatch(s -> s.has("Principal") || s.has("NotPrincipal"));
    }
}
