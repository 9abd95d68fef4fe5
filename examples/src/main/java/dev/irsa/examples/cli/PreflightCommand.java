package dev.irsa.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code irsa preflight --spec FILE}: checks everything an apply will need, before any change, and prints one
 * line per check (passed, failed with cause and fix, or skipped with why). Exit 0 when none failed, else 1.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = {"Check, before any change, what apply needs: AWS credentials (whose), the EKS cluster and its issuer,",
                "the IAM actions irsa calls (iam:SimulatePrincipalPolicy), the kubeconfig and API server, every Kubernetes verb",
                "irsa uses (SelfSubjectAccessReview), the GitLab token, its scopes and the user's access level, and the Helm release.",
                "Read-only. Exit 0 when every check passed (or was skipped), 1 when one failed."})
final class PreflightCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StackCommands.Target target;
    @Option(names = "--iam-only", description = "Only what --iam-only runs need: AWS, the stack lock's Lease and the service account's token; no GitLab or Helm.")
    boolean iamOnly;
    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: one JSON document on stdout (schemaVersion 1, see examples/OUTPUT-JSON.md).")
    JsonOutput.Format output;

    @Override
    public Integer call() {
        return PreflightRunner.run(target, iamOnly, spec.commandLine().getOut(), spec.commandLine().getErr(), output);
    }
}
