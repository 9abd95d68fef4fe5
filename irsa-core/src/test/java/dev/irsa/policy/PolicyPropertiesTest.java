package dev.irsa.policy;

import dev.irsa.lint.LintReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of built trusts: they round-trip, lint clean, and admit exactly their subjects. */
class PolicyPropertiesTest {
    static final OidcProvider CLUSTER = TrustPolicyTest.CLUSTER;

    @Provide
    Arbitrary<ServiceAccountRef> serviceAccounts() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdef0123-").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
        return Combinators.combine(label, label).as(ServiceAccountRef::new);
    }

    @Provide
    Arbitrary<List<ServiceAccountRef>> oneToFive() {
        return serviceAccounts().list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<ServiceAccountRef>> twoToFive() {
        return serviceAccounts().list().uniqueElements().ofMinSize(2).ofMaxSize(5);
    }

    @Property(tries = 200)
    void builtIrsaTrustAdmitsExactlyItsServiceAccounts(@ForAll("oneToFive") List<ServiceAccountRef> admitted,
                                                        @ForAll("serviceAccounts") ServiceAccountRef probe) {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccounts(admitted));
        boolean allowed = TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(CLUSTER, probe)).allowed();
        assertThat(allowed).isEqualTo(admitted.contains(probe));
        for (ServiceAccountRef sa : admitted) {
            assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(CLUSTER, sa)).allowed()).isTrue();
        }
    }

    @Property(tries = 200)
    void builtTrustsRoundTripAndLintClean(@ForAll("oneToFive") List<ServiceAccountRef> admitted) {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccounts(admitted));
        TrustPolicy parsed = TrustPolicy.fromJson(trust.toJson());
        assertThat(parsed).isEqualTo(trust);
        assertThat(Json.tree(parsed.toJson())).isEqualTo(Json.tree(trust.toJson()));
        assertThat(Json.tree(TrustPolicy.fromJson(trust.toJson(true)).toJson())).isEqualTo(Json.tree(trust.toJson()));
        LintReport report = PolicyLinter.lintTrust(trust);
        assertThat(report.findings()).isEmpty();
    }

    @Property(tries = 200)
    void subjectOrderDoesNotChangeMeaning(@ForAll("twoToFive") List<ServiceAccountRef> admitted) {
        TrustPolicy forward = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccounts(admitted));
        List<ServiceAccountRef> reversed = new java.util.ArrayList<>(admitted);
        java.util.Collections.reverse(reversed);
        TrustPolicy backward = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccounts(reversed));
        assertThat(forward.equivalentTo(backward)).isTrue();
    }

    @Example
    void equivalenceIgnoresShapeOrderAndKeyCaseButNotValues() {
        TrustPolicy seed = TrustPolicy.fromJson(Json.resource("/seed/trust-policy.json"));
        String reshaped = """
                {"Statement":{"Action":["STS:AssumeRoleWithWebIdentity"],"Effect":"Allow",
                 "Principal":{"Federated":["%s"]},
                 "Condition":{"StringEquals":{"%s:AUD":["sts.amazonaws.com"],"%s:sub":"system:serviceaccount:dev:app-deployer"}}}}"""
                .formatted(CLUSTER.arn(), CLUSTER.hostPath(), CLUSTER.hostPath());
        assertThat(TrustPolicy.fromJson(reshaped).equivalentTo(seed)).isTrue();
        assertThat(TrustPolicy.fromJson(reshaped)).isNotEqualTo(seed);
        TrustPolicy otherSa = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "App-deployer".toLowerCase().replace("app", "ops")));
        assertThat(otherSa.equivalentTo(seed)).isFalse();
        assertThat(TrustPolicy.fromIamPolicy(seed.toIamPolicy())).isEqualTo(seed);
        assertThat(Json.tree(TrustPolicy.fromIamPolicy(seed.toIamPolicy()).toJson())).isEqualTo(Json.tree(Json.resource("/seed/trust-policy.json")));
        PermissionsPolicy admin = PermissionsPolicy.fromJson(Json.resource("/seed/eks-admin-policy.json"));
        assertThat(PermissionsPolicy.fromIamPolicy(admin.toIamPolicy()).equivalentTo(admin)).isTrue();
    }
}
