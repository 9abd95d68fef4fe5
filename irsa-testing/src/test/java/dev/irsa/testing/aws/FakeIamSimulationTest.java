package dev.irsa.testing.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FakeIam's SimulatePrincipalPolicy against IAM's API reference
 * (docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html): PolicySourceArn is a user, group
 * or role (NoSuchEntity when absent); ResourceArns defaults to {@code *}; EvalDecision is allowed, explicitDeny or
 * implicitDeny; several resources give ResourceSpecificResults; context keys a statement's Condition needs and the
 * request lacks are MissingContextValues. Evaluation as the IAM user guide's "Policy evaluation logic": an explicit
 * Deny wins, a permissions boundary must allow too.
 */
class FakeIamSimulationTest {
    private final FakeIam iam = FakeIam.builder().accountId("111122223333").build();

    private List<EvaluationResult> simulate(String principal, List<String> resources, String... actions) {
        return iam.simulatePrincipalPolicy(b -> b.policySourceArn(principal).actionNames(actions).resourceArns(resources)).evaluationResults();
    }

    @Test
    void theDefaultCallerIsAnAdministratorUser() {
        assertThat(simulate("arn:aws:iam::111122223333:user/irsa-test", List.of(), "iam:CreateRole"))
                .singleElement().satisfies(r -> {
                    assertThat(r.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
                    assertThat(r.evalResourceName()).isEqualTo("*");
                });
    }

    @Test
    void anUnknownPrincipalIsNoSuchEntity() {
        assertThatThrownBy(() -> simulate("arn:aws:iam::111122223333:user/nobody", List.of(), "iam:GetRole"))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void denyWinsAndWhatNoStatementAllowsIsAnImplicitDeny() {
        iam.createUser(b -> b.userName("ci"));
        iam.putUserPolicy(b -> b.userName("ci").policyName("p").policyDocument("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"IAM:*Role","Resource":"arn:aws:iam::111122223333:role/app-*"},
                  {"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"},
                  {"Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"""));
        String ci = "arn:aws:iam::111122223333:user/ci";

        assertThat(simulate(ci, List.of("arn:aws:iam::111122223333:role/app-x"), "iam:GetRole", "iam:DeleteRole", "iam:TagRole"))
                .extracting(EvaluationResult::evalDecision).containsExactly(PolicyEvaluationDecisionType.ALLOWED,
                        PolicyEvaluationDecisionType.EXPLICIT_DENY, PolicyEvaluationDecisionType.ALLOWED);
        assertThat(simulate(ci, List.of("arn:aws:iam::111122223333:role/other"), "iam:GetRole"))
                .extracting(EvaluationResult::evalDecision).containsExactly(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(simulate(ci, List.of(), "iam:ListRoles")).singleElement().satisfies(r -> {
            assertThat(r.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
            assertThat(r.missingContextValues()).containsExactly("aws:MultiFactorAuthPresent");
        });
        EvaluationResult both = simulate(ci, List.of("arn:aws:iam::111122223333:role/app-x", "arn:aws:iam::111122223333:role/other"),
                "iam:GetRole").get(0);
        assertThat(both.resourceSpecificResults()).extracting(r -> r.evalResourceDecision())
                .containsExactly(PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY);
    }

    @Test
    void aRolesBoundaryLimitsWhatItsPoliciesAllow() {
        iam.createPolicy(b -> b.policyName("only-get").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"*\"}]}"));
        iam.createRole(b -> b.roleName("deployer").permissionsBoundary("arn:aws:iam::111122223333:policy/only-get").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        iam.attachRolePolicy(b -> b.roleName("deployer").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));

        assertThat(simulate("arn:aws:iam::111122223333:role/deployer", List.of(), "iam:GetRole", "iam:CreateRole"))
                .extracting(EvaluationResult::evalDecision).containsExactly(PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY);
    }
}
