package dev.irsa.examples.cli;

import dev.irsa.examples.Walkthrough;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
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
        PrintStream out = WriterOutputStream.printStream(writer);
        int exit = new Walkthrough(out).run();
        out.flush();
        return exit;
    }
}
