package dev.irsa.testing.aws;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.RetryPolicy;
import dev.irsa.testing.oidc.FakeOidcIssuer;

/**
 * A whole fake AWS account wired together: one {@link ManualClock} (whose sleeper advances it), a
 * {@link FakeIam}, a {@link FakeSts} that trusts the cluster issuer's keys, a {@link FakeEks} with a
 * cluster {@value #CLUSTER} whose OIDC issuer is {@link #issuer()}, and executors over them.
 *
 * <pre>{@code
 * try (FakeAws aws = FakeAws.create()) {
 *     AwsExecutor executor = aws.executor();
 *     ClusterIdentity id = executor.identity().ofCluster(FakeAws.CLUSTER);
 *     String token = aws.issuer().mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
 * }
 * }</pre>
 */
public final class FakeAws implements AutoCloseable {
    public static final String CLUSTER = "test-cluster";
    public static final String REGION = "eu-west-1";

    private final ManualClock clock = ManualClock.startingNow();
    private final FakeOidcIssuer issuer = FakeOidcIssuer.eks(REGION, clock);
    private final FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).build();
    private final FakeSts sts = FakeSts.builder(iam).clock(clock).sleeper(clock.sleeper()).issuer(issuer).build();
    private final FakeEks eks = FakeEks.builder().clock(clock).sleeper(clock.sleeper()).region(REGION).accountId(iam.accountId()).build();

    private FakeAws() {
        eks.addCluster(CLUSTER, issuer);
    }

    public static FakeAws create() {
        return new FakeAws();
    }

    public ManualClock clock() {
        return clock;
    }

    public FakeOidcIssuer issuer() {
        return issuer;
    }

    public FakeIam iam() {
        return iam;
    }

    public FakeSts sts() {
        return sts;
    }

    public FakeEks eks() {
        return eks;
    }

    /** An executor over the fakes, waiting on the manual clock (no real sleeping). */
    public AwsExecutor executor() {
        return executor(RetryPolicy.DEFAULT);
    }

    public AwsExecutor executor(RetryPolicy retryPolicy) {
        return AwsExecutor.builder().iam(iam).sts(sts).eks(eks).clock(clock).sleeper(clock.sleeper()).retryPolicy(retryPolicy).build();
    }

    @Override
    public void close() {
        issuer.close();
    }
}
