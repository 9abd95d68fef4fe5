package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    @Override
    public Integer call() {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return lintStackSpec();
        }
        String text = read(file);
        LintReport report = lint(text).accept(accepted.toArray(String[]::new));
        print(report, spec.commandLine().getOut());
        return report.hasErrors() ? IrsaCli.FAILED : IrsaCli.OK;
    }

    /** A stack spec: its policies and runner values, per environment; the spec's acceptLint ids count as accepted. */
    private int lintStackSpec() {
        PrintWriter out = spec.commandLine().getOut();
        boolean errors = false;
        dev.irsa.gitlab.stack.StackSpec read = SpecArtifacts.readSpec(file);
        if (read.runnerStack().isEmpty()) {
            for (dev.irsa.binding.RoleBinding binding : read.bindings()) {
                out.println("# binding " + binding.name());
                LintReport report = binding.lint().accept(accepted.toArray(String[]::new));
                print(report, out);
                errors |= report.hasErrors();
            }
            return errors ? IrsaCli.FAILED : IrsaCli.OK;
        }
        List<dev.irsa.gitlab.stack.RunnerStack> stacks = SpecArtifacts.stacks(file, null);
        for (dev.irsa.gitlab.stack.RunnerStack stack : stacks) {
            if (stacks.size() > 1) {
                out.println("# stack " + stack.name());
            }
            LintReport report = stack.lint().accept(accepted.toArray(String[]::new));
            print(report, out);
            errors |= report.hasErrors();
        }
        return errors ? IrsaCli.FAILED : IrsaCli.OK;
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
