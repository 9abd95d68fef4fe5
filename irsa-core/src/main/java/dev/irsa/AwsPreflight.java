package dev.irsa;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.AwsOperationException;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.ClusterIdentityExecutor.CallerIdentity;
import dev.irsa.aws.PermissionSimulator;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyCheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The AWS checks of {@link Preflight}: whose credentials, the cluster and its issuer, the IAM actions allowed. */
final class AwsPreflight {
    static final String CREDENTIALS = "aws.credentials";
    static final String CLUSTER = "aws.cluster";
    static final String PERMISSIONS = "aws.permissions";

    private static final List<String> ROLE_ACTIONS = List.of("iam:GetRole", "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole",
            "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
            "iam:ListRolePolicies", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies",
            "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:ListInstanceProfilesForRole");
    private static final List<String> PROVIDER_ACTIONS = List.of("iam:CreateOpenIDConnectProvider", "iam:GetOpenIDConnectProvider",
            "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:AddClientIDToOpenIDConnectProvider",
            "iam:UpdateOpenIDConnectProviderThumbprint");
    private static final List<String> ACCOUNT_ACTIONS = List.of("iam:ListOpenIDConnectProviders", "iam:ListRoles", "iam:GetAccountSummary");
    private static final List<String> POD_IDENTITY_ACTIONS = List.of("eks:CreatePodIdentityAssociation", "eks:DescribePodIdentityAssociation",
            "eks:ListPodIdentityAssociations", "eks:UpdatePodIdentityAssociation", "eks:DeletePodIdentityAssociation", "eks:TagResource");

    private AwsPreflight() {
    }

    static List<VerifyCheck> checks(RoleBinding binding, AwsExecutor aws, String region) {
        List<VerifyCheck> checks = new ArrayList<>();
        CallerIdentity caller;
        try {
            caller = aws.identity().callerIdentity();
        } catch (AwsOperationException e) {
            checks.add(VerifyCheck.fail(CREDENTIALS, "STS GetCallerIdentity in " + region + " refused the credentials",
                    e.reason(), "Refresh the credentials (aws sso login --profile <profile>, or new access keys) and check the "
                            + "computer's clock; then aws sts get-caller-identity must answer"));
            checks.addAll(skipped(binding, CREDENTIALS));
            return checks;
        }
        Optional<String> wanted = binding.accountId().or(() -> binding.cluster().flatMap(ClusterRef::accountId));
        if (wanted.isPresent() && !wanted.get().equals(caller.accountId())) {
            checks.add(VerifyCheck.fail(CREDENTIALS, caller.arn() + " (account " + caller.accountId() + ")",
                    "the spec names account " + wanted.get() + " but the credentials are for account " + caller.accountId(),
                    "Use a profile of account " + wanted.get() + " (AWS_PROFILE, --profile), or correct the spec's account"));
        } else {
            checks.add(VerifyCheck.pass(CREDENTIALS, caller.arn() + " (account " + caller.accountId() + ")"));
        }
        Optional<ClusterIdentity> cluster = cluster(binding, aws, region, caller, checks);
        checks.add(permissions(binding, aws, caller, cluster));
        return checks;
    }

    /** The cluster and permission checks, skipped because {@code missing} failed; the actions to grant are listed. */
    static List<VerifyCheck> skipped(RoleBinding binding, String missing) {
        return List.of(VerifyCheck.skipped(CLUSTER, "needs " + missing),
                VerifyCheck.skipped(PERMISSIONS, "needs " + missing + "; irsa calls " + String.join(", ", actions(binding))));
    }

    private static Optional<ClusterIdentity> cluster(RoleBinding binding, AwsExecutor aws, String region, CallerIdentity caller,
                                                     List<VerifyCheck> checks) {
        Optional<ClusterRef> ref = binding.cluster();
        if (ref.isEmpty()) {
            checks.add(VerifyCheck.skipped(CLUSTER, "no cluster: the binding is " + binding.mode()));
            return Optional.empty();
        }
        if (ref.get().clusterName().isEmpty()) {
            checks.add(VerifyCheck.pass(CLUSTER, "issuer given by the spec: " + ref.get().issuerUrl().orElse("?") + " (no EKS call)"));
            return Optional.empty();
        }
        String name = ref.get().clusterName().get();
        try {
            ClusterIdentity identity = aws.identity().ofCluster(name);
            checks.add(VerifyCheck.pass(CLUSTER, "EKS cluster " + name + " in " + region + ", OIDC issuer " + identity.issuerUrl()));
            return Optional.of(identity);
        } catch (AwsOperationException e) {
            String cause;
            String fix;
            if (e.hasErrorCode("ResourceNotFoundException")) {
                cause = "EKS in " + region + " has no cluster " + name + " in account " + caller.accountId() + " (DescribeCluster: " + e.reason() + ")";
                fix = "Check the cluster name and region in the spec (aws eks list-clusters --region " + region + "), or use --region";
            } else if (e.hasErrorCode("AccessDeniedException") || e.hasErrorCode("AccessDenied")) {
                cause = caller.arn() + " may not call eks:DescribeCluster on " + name;
                fix = "Grant eks:DescribeCluster on arn:" + caller.partition() + ":eks:" + region + ":" + caller.accountId() + ":cluster/" + name;
            } else {
                cause = "DescribeCluster of " + name + " in " + region + " failed: " + e.reason();
                fix = "Check that the cluster is an EKS cluster with an OIDC issuer (aws eks describe-cluster --name " + name + ")";
            }
            checks.add(VerifyCheck.fail(CLUSTER, "EKS cluster " + name + " in " + region, cause, fix));
            return Optional.empty();
        }
    }

    private static VerifyCheck permissions(RoleBinding binding, AwsExecutor aws, CallerIdentity caller, Optional<ClusterIdentity> cluster) {
        Map<String, List<String>> needed = needed(binding, caller, cluster);
        int count = needed.values().stream().mapToInt(List::size).sum();
        PermissionSimulator.Simulation sim = aws.permissions().simulate(caller.arn(), needed);
        if (sim.rootUser()) {
            return VerifyCheck.pass(PERMISSIONS, "the account's root user: IAM evaluates no policy for it (AWS advises a role or user instead)");
        }
        if (sim.unavailable().isPresent()) {
            return VerifyCheck.skipped(PERMISSIONS, "not simulated: " + sim.unavailable().get() + ". Make sure "
                    + caller.arn() + " may call: " + String.join(", ", actions(needed)));
        }
        String principal = sim.principalArn().orElse(caller.arn());
        if (sim.denied().isEmpty()) {
            return VerifyCheck.pass(PERMISSIONS, "all " + count + " IAM/EKS actions irsa calls are allowed for " + principal + " (SimulatePrincipalPolicy)");
        }
        String denied = sim.denied().stream().map(d -> d.action() + " on " + d.resource() + " (" + d.decision() + ")").collect(Collectors.joining(", "));
        List<String> deniedActions = sim.denied().stream().map(PermissionSimulator.Denied::action).distinct().toList();
        return VerifyCheck.fail(PERMISSIONS, sim.denied().size() + " of " + count + " actions denied: " + denied,
                "the policies of " + principal + " do not allow them (an explicitDeny comes from a Deny statement, a boundary or an SCP)",
                "Grant " + String.join(", ", deniedActions) + " to " + principal + " (e.g. in an inline policy), then run preflight again");
    }

    /** Actions by the resource they act on (role, provider, cluster, or {@code *} for account-wide reads). */
    static Map<String, List<String>> needed(RoleBinding binding, CallerIdentity caller, Optional<ClusterIdentity> cluster) {
        String iam = "arn:" + caller.partition() + ":iam::" + caller.accountId() + ":";
        Map<String, List<String>> needed = new LinkedHashMap<>();
        List<String> role = new ArrayList<>(ROLE_ACTIONS);
        if (binding.mode() == IdentityMode.POD_IDENTITY) {
            role.add("iam:PassRole");   // CreatePodIdentityAssociation passes the role to EKS
        }
        needed.put(iam + "role" + binding.role().path() + binding.role().name(), role);
        if (binding.mode() != IdentityMode.POD_IDENTITY) {
            needed.put(cluster.map(c -> iam + "oidc-provider/" + c.issuerHostPath()).orElse("*"), PROVIDER_ACTIONS);
        }
        List<String> any = new ArrayList<>(ACCOUNT_ACTIONS);
        binding.cluster().flatMap(ClusterRef::clusterName).ifPresent(n -> any.add("eks:DescribeCluster"));
        if (binding.mode() == IdentityMode.POD_IDENTITY) {
            any.addAll(POD_IDENTITY_ACTIONS);
        }
        needed.merge("*", any, (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return both;
        });
        return needed;
    }

    private static List<String> actions(Map<String, List<String>> needed) {
        return needed.values().stream().flatMap(List::stream).distinct().toList();
    }

    private static List<String> actions(RoleBinding binding) {
        return actions(needed(binding, new CallerIdentity("<account>", binding.partition(), "arn:" + binding.partition() + ":iam::<account>:user/x"),
                Optional.empty()));
    }
}
