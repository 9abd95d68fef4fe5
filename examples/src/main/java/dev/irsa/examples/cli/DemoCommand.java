package dev.irsa.examples.cli;

import dev.irsa.examples.GitLabOidcDemo;
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
    @CommandLine.Option(names = "--gitlab-oidc", description = {"The GitLab OIDC variant instead (examples/stacks/gitlab-oidc.yaml):",
            "role bindings without a runner or cluster; a job's id_tokens token assumes its role at STS."})
    boolean gitlabOidc;

    @Override
    public Integer call() {
        var writer = spec.commandLine().getOut();
        PrintStream out = WriterOutputStream.printStream(writer);
        int exit = gitlabOidc ? new GitLabOidcDemo(out).run() : new Walkthrough(out).run();
        out.flush();
        return exit;
    }
}
