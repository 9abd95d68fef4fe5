package dev.irsa.binding;

import dev.irsa.ValidationException;
import dev.irsa.policy.PermissionsPolicy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RoleSpec enforces IAM's limits when it is built, so a bad spec fails before planning reads anything. */
class RoleSpecTest {
    private static final String SMALL_POLICY =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    private static void rejects(Consumer<RoleSpec.Builder> role, String field, String rule) {
        assertThatThrownBy(() -> RoleSpec.of(r -> {
            r.name("eks-cluster-role");
            role.accept(r);
        }))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(rule)
                .satisfies(e -> assertThat(((ValidationException) e).field()).startsWith(field));
    }

    @Test
    void tagsAreCheckedAgainstIamsLimits() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        rejects(r -> r.tags(many), "role.tags", "at most 50");
        rejects(r -> r.tags(Map.of("k".repeat(129), "v")), "role.tags", "1-128");
        rejects(r -> r.tags(Map.of("team", "v".repeat(257))), "role.tags", "0-256");
        rejects(r -> r.tags(Map.of("team", "a;b")), "role.tags", "may contain");
        rejects(r -> r.tags(Map.of("irsa.dev/stack", "x")), "role.tags", "ownership marks");
    }

    @Test
    void descriptionInlinePoliciesAndManagedPoliciesAreLimited() {
        rejects(r -> r.description("d".repeat(1001)), "role.description", "at most 1000");
        rejects(r -> r.inlinePolicy("bad name", PermissionsPolicy.fromJson(SMALL_POLICY)), "role.inlinePolicies", "inline policy name");
        String bigStatement = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + "b".repeat(5000) + "\"}";
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[" + bigStatement + "]}";
        rejects(r -> r.inlinePolicy("one", PermissionsPolicy.fromJson(big)).inlinePolicy("two", PermissionsPolicy.fromJson(big))
                .inlinePolicy("three", PermissionsPolicy.fromJson(big)), "role.inlinePolicies", "10240");
        rejects(r -> {
            for (int i = 0; i < 21; i++) {
                r.managedPolicyArn("arn:aws:iam::aws:policy/Policy" + i);
            }
        }, "role.managedPolicyArns", "at most 20");
    }

    @Test
    void aNullManagedPolicyArnOrLintIdIsAValidationErrorNamingTheItem() {
        // Before: a NullPointerException from TreeSet / List.of, with no field named.
        rejects(r -> r.managedPolicyArn("arn:aws:iam::aws:policy/ReadOnlyAccess").managedPolicyArn(null), "role.managedPolicyArns[1]",
                "must not be empty");
        assertThatThrownBy(() -> RoleBinding.builder().acceptLint("IRSA-P002", null))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("acceptLint[1]"));
        assertThatThrownBy(() -> RoleBinding.builder().acceptLint(" "))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("acceptLint[0]"));
    }

    @Test
    void theWalkthroughsRoleIsValid() {
        RoleSpec role = RoleSpec.of(r -> r.name("eks-cluster-role").description("GitLab CI jobs manage EKS")
                .inlinePolicy("eks-admin", PermissionsPolicy.fromJson(SMALL_POLICY)).tag("team", "platform"));
        assertThat(role.tags()).containsEntry("team", "platform");
        assertThat(role.inlinePolicies()).containsOnlyKeys("eks-admin");
    }
}
