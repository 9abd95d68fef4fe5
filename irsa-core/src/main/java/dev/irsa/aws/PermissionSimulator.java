package dev.irsa.aws;

import dev.irsa.aws.internal.AwsCalls;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a principal's policies allow the IAM and EKS actions irsa will call, asked with IAM
 * {@code SimulatePrincipalPolicy}: nothing is tried, IAM evaluates the principal's identity policies and
 * permissions boundary (and the organization's SCPs) for each action on each resource. The caller itself needs
 * {@code iam:SimulatePrincipalPolicy} (and {@code iam:GetRole} when it is an assumed role: STS names the role
 * without its path, and the simulation needs the role's ARN); when it may not, or the principal is not a user or
 * role, the answer says why instead of guessing.
 */
public final class PermissionSimulator {
    private final IamClient iam;
    private final AwsCalls calls;

    PermissionSimulator(IamClient iam, AwsCalls calls) {
        this.iam = Objects.requireNonNull(iam, "iam");
        this.calls = calls;
    }

    /** An action denied on a resource, with IAM's decision ({@code implicitDeny} or {@code explicitDeny}). */
    public record Denied(String action, String resource, String decision) {
    }

    /**
     * The outcome: the principal simulated and what was denied, or why no simulation was possible
     * ({@link #unavailable()}), or that the caller is the account's root user, for whom IAM evaluates no policy.
     */
    public record Simulation(Optional<String> principalArn, List<Denied> denied, Optional<String> unavailable, boolean rootUser) {
        public boolean simulated() {
            return unavailable.isEmpty() && !rootUser;
        }
    }

    /**
     * Simulates {@code actionsByResource} (resource ARN, or {@code *}, to actions) for the principal behind
     * {@code callerArn} (as {@code GetCallerIdentity} returned it).
     */
    public Simulation simulate(String callerArn, Map<String, List<String>> actionsByResource) {
        String[] arn = callerArn.split(":", 6);
        if (arn.length < 6) {
            return unavailable(null, "the caller ARN " + callerArn + " is not an ARN");
        }
        String resource = arn[5];
        String principal;
        if (arn[2].equals("iam") && resource.equals("root")) {
            return new Simulation(Optional.of(callerArn), List.of(), Optional.empty(), true);
        } else if (arn[2].equals("iam") && (resource.startsWith("user/") || resource.startsWith("role/"))) {
            principal = callerArn;
        } else if (arn[2].equals("sts") && resource.startsWith("assumed-role/")) {
            String roleName = resource.split("/")[1];
            try {
                principal = calls.call("role " + roleName, "GetRole", () -> iam.getRole(b -> b.roleName(roleName))).role().arn();
            } catch (AwsOperationException e) {
                return unavailable(null, "the assumed role's ARN could not be read (iam:GetRole on " + roleName + ": " + e.reason() + ")");
            }
        } else {
            return unavailable(null, "IAM simulates users and roles only; the caller is " + callerArn);
        }
        List<Denied> denied = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : new LinkedHashMap<>(actionsByResource).entrySet()) {
            try {
                for (EvaluationResult r : results(principal, e.getKey(), e.getValue())) {
                    String decision = r.evalDecisionAsString();
                    if (!"allowed".equals(decision)) {
                        denied.add(new Denied(r.evalActionName(), e.getKey(), decision));
                    }
                }
            } catch (AwsOperationException failed) {
                String why = failed.hasErrorCode("AccessDenied")
                        ? "the caller may not call iam:SimulatePrincipalPolicy on " + principal
                        : "IAM did not answer SimulatePrincipalPolicy (" + failed.reason() + ")";
                return unavailable(principal, why);
            }
        }
        return new Simulation(Optional.of(principal), List.copyOf(denied), Optional.empty(), false);
    }

    private List<EvaluationResult> results(String principal, String resource, List<String> actions) {
        List<EvaluationResult> all = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            SimulatePrincipalPolicyResponse page = calls.call("principal " + principal, "SimulatePrincipalPolicy",
                    () -> iam.simulatePrincipalPolicy(b -> b.policySourceArn(principal).actionNames(actions)
                            .resourceArns(resource).marker(from)));
            all.addAll(page.evaluationResults());
            marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
        } while (marker != null);
        return all;
    }

    private static Simulation unavailable(String principal, String why) {
        return new Simulation(Optional.ofNullable(principal), List.of(), Optional.of(why), false);
    }
}
