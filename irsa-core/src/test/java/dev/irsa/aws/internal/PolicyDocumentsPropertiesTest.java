package dev.irsa.aws.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Drift detection must not see drift where IAM only reordered or re-encoded a document. */
class PolicyDocumentsPropertiesTest {
    @Property(tries = 200)
    void reorderingAndUrlEncodingIsNotDrift(@ForAll("subjects") List<String> subjects, @ForAll long seed) {
        List<String> shuffled = new ArrayList<>(subjects);
        Collections.shuffle(shuffled, new Random(seed));
        String a = policy(subjects).toJson();
        String b = URLEncoder.encode(policy(shuffled).toJson(), StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(PolicyDocuments.equivalent(a, b)).isTrue();
    }

    @Property(tries = 200)
    void droppingASubjectIsDrift(@ForAll("subjects") List<String> subjects) {
        List<String> fewer = subjects.subList(1, subjects.size());
        assertThat(PolicyDocuments.equivalent(policy(subjects).toJson(), policy(fewer).toJson())).isFalse();
    }

    @Provide
    Arbitrary<List<String>> subjects() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .map(s -> "system:serviceaccount:ci:" + s).list().ofMinSize(2).ofMaxSize(6).uniqueElements();
    }

    private static IamPolicy policy(List<String> subjects) {
        IamStatement.Builder st = IamStatement.builder().effect(IamEffect.ALLOW)
                .addPrincipal("Federated", "arn:aws:iam::123456789012:oidc-provider/oidc.example.com")
                .addAction("sts:AssumeRoleWithWebIdentity")
                .addCondition(IamConditionOperator.STRING_EQUALS, "oidc.example.com:aud", "sts.amazonaws.com");
        subjects.forEach(s -> st.addCondition(IamConditionOperator.STRING_EQUALS, "oidc.example.com:sub", s));
        return IamPolicy.builder().version("2012-10-17").addStatement(st.build()).build();
    }
}
