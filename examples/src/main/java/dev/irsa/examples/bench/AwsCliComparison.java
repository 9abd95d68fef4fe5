package dev.irsa.examples.bench;

import dev.irsa.aws.AwsClients;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.plan.Applier;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.testing.aws.MotoServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IAM/STS part of the walkthrough on one loopback moto server, twice per round: as the literal
 * {@code aws} CLI command sequence (one process per command, {@code --endpoint-url}) and through irsa
 * (plan + apply of the binding's IAM resources, in this JVM). moto is reset and the EKS cluster re-created
 * between runs, outside the timing.
 */
public final class AwsCliComparison {
    static final String CLUSTER = WalkthroughArtifacts.CLUSTER;
    static final String THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

    /** Medians over the rounds; {@code skipped} says why nothing was measured. */
    public record Result(int rounds, int cliCommands, Duration cliMedian, Duration irsaFirst, Duration irsaMedian,
                         String skipped) {
        public double ratio() {
            return cliMedian.toNanos() / (double) Math.max(1, irsaMedian.toNanos());
        }

        static Result skipped(String why) {
            return new Result(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, why);
        }
    }

    private AwsCliComparison() {
    }

    /** True when an {@code aws} executable answers {@code --version}. */
    public static boolean awsCliAvailable() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static Result measure(int rounds) {
        if (!awsCliAvailable()) {
            return Result.skipped("the aws CLI is not installed (not on PATH)");
        }
        if (!MotoServer.available()) {
            return Result.skipped("moto is not installed (python3 -c 'import moto.server' fails)");
        }
        try (MotoServer moto = MotoServer.start(); Clients clients = new Clients(moto.clients())) {
            Path dir = Files.createTempDirectory("irsa-bench-cli-");
            List<Duration> cli = new ArrayList<>();
            List<Duration> irsa = new ArrayList<>();
            int commands = 0;
            for (int round = 0; round < rounds; round++) {
                String issuer = freshCluster(moto, clients);
                List<List<String>> sequence = cliSequence(moto, issuer, dir);
                commands = sequence.size();
                long start = System.nanoTime();
                for (List<String> command : sequence) {
                    run(command, moto);
                }
                cli.add(Duration.ofNanos(System.nanoTime() - start));
                requireRole(clients, "aws CLI");

                freshCluster(moto, clients);
                start = System.nanoTime();
                applyThroughIrsa(moto.clients());
                irsa.add(Duration.ofNanos(System.nanoTime() - start));
                requireRole(clients, "irsa");
            }
            Duration first = irsa.get(0);
            return new Result(rounds, commands, median(cli), first, median(irsa.size() > 1 ? irsa.subList(1, irsa.size()) : irsa), null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the walkthrough's policy files: " + e.getMessage(), e);
        }
    }

    /** Forgets everything and creates the walkthrough's cluster again; returns its issuer. */
    /** Clients for setting up and checking, built once. */
    private record Clients(software.amazon.awssdk.services.iam.IamClient iam, software.amazon.awssdk.services.eks.EksClient eks)
            implements AutoCloseable {
        Clients(AwsClients clients) {
            this(clients.iam(), clients.eks());
        }

        @Override
        public void close() {
            iam.close();
            eks.close();
        }
    }

    private static String freshCluster(MotoServer moto, Clients clients) {
        moto.reset();
        String role = clients.iam().createRole(b -> b.roleName("eks-cluster-service").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role().arn();
        return clients.eks().createCluster(b -> b.name(CLUSTER).roleArn(role).resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")))
                .cluster().identity().oidc().issuer();
    }

    /**
     * The walkthrough's commands: look up the issuer and the account, register the provider, create the
     * role with the trust written to a file, attach the admin policy, read the ARN for the annotation.
     */
    static List<List<String>> cliSequence(MotoServer moto, String issuer, Path dir) throws IOException {
        Path trust = dir.resolve("trust-policy.json");
        Path policy = dir.resolve("eks-admin-policy.json");
        // The trust a user writes by hand (here rendered, untimed), for moto's account.
        Files.writeString(trust, TrustPolicy.irsa(s -> s.provider(OidcProvider.of(issuer, "123456789012", "aws"))
                .serviceAccount(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT)).toJson(true), StandardCharsets.UTF_8);
        Files.writeString(policy, WalkthroughArtifacts.adminPolicy().toJson(), StandardCharsets.UTF_8);
        return List.of(
                List.of("eks", "describe-cluster", "--name", CLUSTER, "--query", "cluster.identity.oidc.issuer", "--output", "text"),
                List.of("sts", "get-caller-identity", "--query", "Account", "--output", "text"),
                List.of("iam", "list-open-id-connect-providers"),
                List.of("iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", "sts.amazonaws.com",
                        "--thumbprint-list", THUMBPRINT),
                List.of("iam", "create-role", "--role-name", WalkthroughArtifacts.ROLE, "--assume-role-policy-document", "file://" + trust),
                List.of("iam", "put-role-policy", "--role-name", WalkthroughArtifacts.ROLE, "--policy-name", "eks-admin",
                        "--policy-document", "file://" + policy),
                List.of("iam", "get-role", "--role-name", WalkthroughArtifacts.ROLE, "--query", "Role.Arn", "--output", "text"));
    }

    private static void run(List<String> args, MotoServer moto) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", moto.endpoint().toString(), "--region", MotoServer.REGION));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_DEFAULT_REGION", MotoServer.REGION);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("aws " + args.get(0) + " " + args.get(1) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("aws " + args.get(0) + " " + args.get(1) + " failed (" + p.exitValue() + "): " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run aws: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What one irsa invocation does: build the SDK clients, plan, apply (client set-up is part of the cost). */
    static void applyThroughIrsa(AwsClients clients) {
        RoleBinding binding = RoleBinding.builder()
                .name("walkthrough")
                .cluster(ClusterRef.eks(CLUSTER, MotoServer.REGION))
                .role(r -> r.name(WalkthroughArtifacts.ROLE).inlinePolicy("eks-admin", WalkthroughArtifacts.adminPolicy()))
                .serviceAccount(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT)
                .acceptLint(WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING_IN_ROLE)
                .build();
        try (var iam = clients.iam(); var sts = clients.sts(); var eks = clients.eks()) {
            AwsExecutor aws = AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build();
            Plan plan = Planner.create().plan(binding.name(), binding.iamResources(BindingBackends.builder().aws(aws).build()));
            Applier.create().apply(plan).orThrow();
        }
    }

    private static void requireRole(Clients clients, String by) {
        String arn = clients.iam().getRole(b -> b.roleName(WalkthroughArtifacts.ROLE)).role().arn();
        int policies = clients.iam().listRolePolicies(b -> b.roleName(WalkthroughArtifacts.ROLE)).policyNames().size();
        int providers = clients.iam().listOpenIDConnectProviders().openIDConnectProviderList().size();
        if (arn.isEmpty() || policies != 1 || providers != 1) {
            throw new IllegalStateException(by + " left " + providers + " providers and " + policies + " inline policies");
        }
    }

    static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
