package dev.irsa.examples;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs examples/jshell/walkthrough.jsh snippet by snippet through the JShell API (a separate JVM, as the
 * jshell tool does) with the classpath the build writes to target/classpath.txt plus target/classes.
 */
class JShellScriptsTest {
    @Test
    void walkthroughScriptRendersAndRunsTheSandboxDemo() throws IOException {
        String out = run(Path.of("jshell", "walkthrough.jsh"));
        assertThat(out).contains("system:serviceaccount:dev:app-deployer", "IRSA-P002 ERROR", "[accepted]",
                "service_account = 'app-deployer'", "k8s-dev-runner",
                "8 to add", "8 created, 0 updated, 0 deleted, 0 unchanged", "Verify: all", "No changes.",
                "0 created, 0 updated, 8 deleted", "walkthrough: OK");
        assertThat(out).doesNotContain("glrt-");
    }

    static String run(Path script) throws IOException {
        Path classpathFile = Path.of("target", "classpath.txt");
        assertThat(classpathFile).as("written by the build (dependency:build-classpath)").exists();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        try (JShell shell = JShell.builder().out(out).err(out).build()) {
            for (String entry : Files.readString(classpathFile).trim().split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            shell.addToClasspath(Path.of("target", "classes").toAbsolutePath().toString());
            for (String source : snippets(shell, Files.readString(script))) {
                for (SnippetEvent event : shell.eval(source)) {
                    if (event.status() == Snippet.Status.REJECTED) {
                        problems.add("rejected: " + source + " " + shell.diagnostics(event.snippet())
                                .map(d -> d.getMessage(null)).collect(Collectors.joining("; ")));
                    }
                    if (event.exception() != null) {
                        problems.add("threw: " + source + " " + event.exception());
                    }
                }
            }
        }
        assertThat(problems).as(buffer.toString(StandardCharsets.UTF_8)).isEmpty();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * The script's snippets as the jshell tool reads them: line by line, evaluating as soon as the input so far
     * is a complete snippet (so a statement continued on a line starting with a dot would break here, as it
     * does in the tool). Tool commands (/exit) are not Java and are skipped.
     */
    static List<String> snippets(JShell shell, String script) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<String> snippets = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (pending.length() == 0 && line.startsWith("/")) {
                continue;
            }
            pending.append(line).append('\n');
            String rest = pending.toString();
            while (!rest.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
                SourceCodeAnalysis.Completeness c = info.completeness();
                if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                    rest = "";
                } else if (c.isComplete()) {
                    snippets.add(info.source());
                    rest = info.remaining();
                } else {
                    break;
                }
            }
            pending.setLength(0);
            pending.append(rest.isBlank() ? "" : rest);
        }
        assertThat(pending.toString()).as("unfinished snippet at the end of the script").isBlank();
        return snippets;
    }
}
