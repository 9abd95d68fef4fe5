package dev.irsa.examples.bench;

import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.lint.LintReport;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.PolicyLinter;
import dev.irsa.policy.ServiceAccountRef;
import dev.irsa.policy.TrustDecision;
import dev.irsa.policy.TrustEvaluator;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.policy.WebIdentityRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * JMH throughput of the pure parts (no I/O): render the walkthrough's trust policy to JSON, lint it, lint
 * the admin permissions policy, and evaluate the trust against the service account's token claims.
 * Run by {@code BenchMain --only jmh} (or any JMH runner including {@code PolicyBenchmarks}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyBenchmarks {
    private OidcProvider provider;
    private TrustPolicy trust;
    private String trustJson;
    private PermissionsPolicy admin;
    private WebIdentityRequest request;

    @Setup
    public void setUp() {
        provider = OidcProvider.of(WalkthroughArtifacts.ISSUER, WalkthroughArtifacts.ACCOUNT, "aws");
        trust = renderTrust();
        trustJson = trust.toJson();
        admin = WalkthroughArtifacts.adminPolicy();
        request = WebIdentityRequest.serviceAccountToken(provider,
                new ServiceAccountRef(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT));
    }

    private TrustPolicy renderTrust() {
        return TrustPolicy.irsa(s -> s.provider(provider).serviceAccount(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT));
    }

    /** Build the trust policy from the binding and write its JSON (what {@code irsa render trust-policy} does). */
    @Benchmark
    public String renderTrustPolicy() {
        return renderTrust().toJson();
    }

    /** Parse the trust JSON back into the model (what drift detection does with IAM's document). */
    @Benchmark
    public TrustPolicy parseTrustPolicy() {
        return TrustPolicy.fromJson(trustJson);
    }

    @Benchmark
    public LintReport lintTrustPolicy() {
        return PolicyLinter.lintTrust(trust);
    }

    @Benchmark
    public LintReport lintAdminPolicy() {
        return PolicyLinter.lintPermissions(admin);
    }

    /** Does the trust admit the SA's token claims (what FakeSts and {@code verify} for GitLab OIDC do)? */
    @Benchmark
    public TrustDecision evaluateTrust() {
        return TrustEvaluator.evaluate(trust, request);
    }
}
