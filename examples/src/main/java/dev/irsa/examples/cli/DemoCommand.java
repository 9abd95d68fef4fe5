package dev.irsa.examples.cli;

import dev.irsa.examples.Walkthrough;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code irsa demo}: the walkthrough end to end on the embedded sandbox. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The walkthrough end to end on the embedded sandbox (no AWS account, cluster or GitLab needed):",
                "render and lint the artifacts, plan, apply, verify with a real signed token, plan again, destroy."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var writer = spec.commandLine().getOut();
        PrintStream out = new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
        int exit = new Walkthrough(out).run();
        out.flush();
        return exit;
    }

    /** Bridges the PrintStream the library examples write to onto picocli's PrintWriter, line by line. */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void flush() {
            writer.print(buffer.toString(StandardCharsets.UTF_8));
            writer.flush();
            buffer.reset();
        }
    }
}
