package dev.irsa.examples.cli;

import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.policy.GitLabSubject;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.TrustPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code irsa render ...}: pure rendering, no I/O besides reading a spec file. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render trust policies, runner Helm values and the pipeline file.",
        subcommands = {RenderCommand.TrustPolicyCommand.class, RenderCommand.PodIdentityTrustCommand.class,
                RenderCommand.GitLabTrustCommand.class, RenderCommand.ValuesCommand.class,
                RenderCommand.PipelineCommand.class, RenderCommand.AllCommand.class})
final class RenderCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: trust-policy, pod-identity-trust, gitlab-trust, values, pipeline or all");
    }

    @Command(name = "trust-policy", mixinStandardHelpOptions = true,
            description = "The IRSA trust policy letting exactly one service account assume the role (JSON on stdout).")
    static final class TrustPolicyCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--issuer", required = true, description = "The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<ID>).")
        String issuer;
        @Option(names = "--account", required = true, description = "The AWS account id (12 digits).")
        String account;
        @Option(names = "--partition", defaultValue = "aws", description = "The AWS partition (default: ${DEFAULT-VALUE}).")
        String partition;
        @Option(names = "--namespace", required = true, description = "The service account's namespace.")
        String namespace;
        @Option(names = "--service-account", required = true, description = "The service account's name.")
        String serviceAccount;
        @Option(names = "--audience", defaultValue = TrustPolicy.STS_AUDIENCE, description = "The token audience (default: ${DEFAULT-VALUE}).")
        String audience;

        @Override
        public Integer call() {
            OidcProvider provider = OidcProvider.of(issuer, account, partition);
            TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(provider).serviceAccount(namespace, serviceAccount).audience(audience));
            spec.commandLine().getOut().println(trust.toJson(true));
            return IrsaCli.OK;
        }
    }

    @Command(name = "pod-identity-trust", mixinStandardHelpOptions = true,
            description = "The EKS Pod Identity trust policy (principal pods.eks.amazonaws.com) as JSON.")
    static final class PodIdentityTrustCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--account", required = true, description = "Pins aws:SourceAccount to this account id.")
        String account;
        @Option(names = "--cluster-arn", description = "Pins aws:SourceArn to this EKS cluster ARN.")
        String clusterArn;

        @Override
        public Integer call() {
            TrustPolicy trust = TrustPolicy.podIdentity(b -> {
                b.sourceAccount(account);
                if (clusterArn != null) {
                    b.sourceArn(clusterArn);
                }
            });
            spec.commandLine().getOut().println(trust.toJson(true));
            return IrsaCli.OK;
        }
    }

    @Command(name = "gitlab-trust", mixinStandardHelpOptions = true,
            description = "A GitLab OIDC trust policy for CI jobs of one project and branch (or tag) as JSON.")
    static final class GitLabTrustCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--gitlab-url", defaultValue = "https://gitlab.com", description = "The GitLab instance (the OIDC issuer; default: ${DEFAULT-VALUE}).")
        String gitlabUrl;
        @Option(names = "--account", required = true, description = "The AWS account id holding the GitLab OIDC provider.")
        String account;
        @Option(names = "--partition", defaultValue = "aws")
        String partition;
        @Option(names = "--project", required = true, description = "The project path, e.g. group/project.")
        String project;
        @CommandLine.ArgGroup(multiplicity = "1")
        Ref ref;
        @Option(names = "--audience", description = "The id_tokens aud (default: the GitLab URL).")
        String audience;

        static final class Ref {
            @Option(names = "--branch", required = true, description = "The branch jobs run on.")
            String branch;
            @Option(names = "--tag", required = true, description = "The tag jobs run on.")
            String tag;
        }

        @Override
        public Integer call() {
            OidcProvider provider = OidcProvider.of(gitlabUrl, account, partition);
            TrustPolicy trust = TrustPolicy.gitLabOidc(b -> {
                b.provider(provider).subject(ref.branch != null ? GitLabSubject.branch(project, ref.branch) : GitLabSubject.tag(project, ref.tag));
                if (audience != null) {
                    b.audience(audience);
                }
            });
            spec.commandLine().getOut().println(trust.toJson(true));
            return IrsaCli.OK;
        }
    }

    /** Options shared by the runner artifacts: a stack spec, or the walkthrough's values overridden by flags. */
    static class RunnerOptions {
        @Option(names = "--spec", description = "A stack spec (YAML); without it the walkthrough's values and the flags below are used.")
        Path specFile;
        @Option(names = "--environment", description = "With --spec: render only this environment.")
        String environment;
        @Option(names = "--gitlab-url", defaultValue = WalkthroughArtifacts.GITLAB_URL)
        String gitlabUrl;
        @Option(names = "--namespace", defaultValue = WalkthroughArtifacts.NAMESPACE, description = "The job pods' namespace (default: ${DEFAULT-VALUE}).")
        String namespace;
        @Option(names = "--service-account", defaultValue = WalkthroughArtifacts.SERVICE_ACCOUNT, description = "The job pods' service account (default: ${DEFAULT-VALUE}).")
        String serviceAccount;
        @Option(names = "--runner-secret", defaultValue = WalkthroughArtifacts.RELEASE + "-token", description = "The Secret holding the runner token (default: ${DEFAULT-VALUE}).")
        String runnerSecret;
        @Option(names = "--node-selector", description = "key=value for the job pods (default: nodepool=dev).")
        Map<String, String> nodeSelector;
        @Option(names = "--tag", defaultValue = WalkthroughArtifacts.RUNNER_TAG, description = "The runner tag the job asks for (default: ${DEFAULT-VALUE}).")
        String tag;

        Map<String, String> nodeSelector() {
            return nodeSelector == null ? Map.of("nodepool", "dev") : new LinkedHashMap<>(nodeSelector);
        }

        String values() {
            if (specFile != null) {
                return SpecArtifacts.render(specFile, environment, SpecArtifacts.Kind.VALUES);
            }
            return WalkthroughArtifacts.runnerValues(gitlabUrl, namespace, serviceAccount, runnerSecret, nodeSelector()).toYaml();
        }

        String pipeline() {
            if (specFile != null) {
                return SpecArtifacts.render(specFile, environment, SpecArtifacts.Kind.PIPELINE);
            }
            return WalkthroughArtifacts.pipeline(tag).toYaml();
        }
    }

    @Command(name = "values", mixinStandardHelpOptions = true, description = "The gitlab-runner chart values (YAML).")
    static final class ValuesCommand extends RunnerOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(values());
            spec.commandLine().getOut().flush();
            return IrsaCli.OK;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, description = "The .gitlab-ci.yml with the job tagged for the runner.")
    static final class PipelineCommand extends RunnerOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(pipeline());
            spec.commandLine().getOut().flush();
            return IrsaCli.OK;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Every artifact, each under a '# ---' header.")
    static final class AllCommand extends RunnerOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            if (specFile != null) {
                out.print(SpecArtifacts.render(specFile, environment, SpecArtifacts.Kind.ALL));
            } else {
                out.println("# --- trust-policy.json (the walkthrough's cluster)");
                out.println(WalkthroughArtifacts.trustPolicy().toJson(true));
                out.println("# --- values.yaml (gitlab-runner chart 0.86.0)");
                out.print(values());
                out.println("# --- .gitlab-ci.yml");
                out.print(pipeline());
            }
            out.flush();
            return IrsaCli.OK;
        }
    }
}
