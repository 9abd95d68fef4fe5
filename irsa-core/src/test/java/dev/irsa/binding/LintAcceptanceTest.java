package dev.irsa.binding;

import dev.irsa.ValidationException;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintException;
import dev.irsa.lint.LintReport;
import dev.irsa.policy.PermissionsPolicy;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13 finding 13: an accepted lint finding applies where the user meant it. {@code IRSA-P002@eks-admin}
 * accepts iam:* in the inline policy eks-admin only; a bare {@code IRSA-P002} is accepted only while a single
 * policy reports it, otherwise lint refuses and names the scoped forms.
 */
class LintAcceptanceTest {
    private static final String IAM_STAR =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}";
    private static final String READ =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"eks:DescribeCluster\",\"Resource\":\"*\"}]}";

    private static RoleBinding binding(Consumer<RoleSpec.Builder> role, String... accepted) {
        return RoleBinding.builder().name("seed")
                .cluster(ClusterRef.issuer("https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333", "aws"))
                .role(r -> role.accept(r.name("eks-cluster-role")))
                .serviceAccount("dev", "app-deployer")
                .acceptLint(accepted)
                .build();
    }

    private static RoleBinding twoAdminPolicies(String... accepted) {
        return binding(r -> r.inlinePolicy("eks-admin", PermissionsPolicy.fromJson(IAM_STAR))
                .inlinePolicy("ci-extra", PermissionsPolicy.fromJson(IAM_STAR)), accepted);
    }

    @Test
    void aBareIdReportedInTwoPoliciesIsRefusedAndTheScopedFormsAreNamed() {
        RoleBinding binding = twoAdminPolicies("IRSA-P002");
        assertThatThrownBy(binding::lint).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("acceptLint"))
                .hasMessageContaining("IRSA-P002@ci-extra").hasMessageContaining("IRSA-P002@eks-admin");
    }

    @Test
    void aScopedAcceptanceSilencesOnlyItsPolicy() {
        LintReport report = twoAdminPolicies("IRSA-P002@eks-admin").lint();
        assertThat(report.errors()).extracting(Finding::location).containsExactly("role.inlinePolicies[ci-extra].Statement[0].Action");
        assertThat(report.acceptedErrors()).extracting(Finding::scope).containsExactly("eks-admin");
        assertThatThrownBy(report::throwIfErrors).isInstanceOf(LintException.class)
                .hasMessageContaining("accept(\"IRSA-P002@ci-extra\")");

        assertThat(twoAdminPolicies("IRSA-P002@eks-admin", "IRSA-P002@ci-extra").lint().hasErrors()).isFalse();
    }

    @Test
    void aBareIdStillWorksWhileOnePolicyReportsIt() {
        RoleBinding binding = binding(r -> r.inlinePolicy("eks-admin", PermissionsPolicy.fromJson(IAM_STAR))
                .inlinePolicy("read", PermissionsPolicy.fromJson(READ)), "IRSA-P002");
        LintReport report = binding.lint();
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.acceptedErrors()).extracting(Finding::id).containsExactly("IRSA-P002");
    }

    @Test
    void trustFindingsAreScopedToTrust() {
        LintReport report = binding(r -> r.inlinePolicy("read", PermissionsPolicy.fromJson(READ))).lint();
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.location()).doesNotStartWith("Statement"));
        Finding trust = new Finding("IRSA-T004", dev.irsa.lint.Severity.ERROR, "m", "", "role.trustPolicy.Statement[0].Condition");
        assertThat(trust.scope()).isEqualTo("trust");
        assertThat(new LintReport(java.util.List.of(trust)).accept("IRSA-T004@trust").hasErrors()).isFalse();
        assertThat(new LintReport(java.util.List.of(trust)).accept("IRSA-T004@read").hasErrors()).isTrue();
    }

    @Test
    void malformedNullOrUnknownScopesAreRefusedWhenTheBindingIsBuilt() {
        Consumer<RoleSpec.Builder> role = r -> r.inlinePolicy("eks-admin", PermissionsPolicy.fromJson(IAM_STAR));
        for (String bad : new String[] {"P002", "IRSA-P002@", "IRSA-P002@eks admin", "irsa-p002"}) {
            assertThatThrownBy(() -> binding(role, bad)).as(bad).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("acceptLint"));
        }
        assertThatThrownBy(() -> binding(role, (String) null)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("acceptLint[0]"));
        assertThatThrownBy(() -> binding(role, "IRSA-P002@eks-amdin")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no inline policy named 'eks-amdin'").hasMessageContaining("[eks-admin]");
    }
}
