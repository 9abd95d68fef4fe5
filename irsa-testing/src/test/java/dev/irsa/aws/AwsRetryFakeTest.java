package dev.irsa.aws;

import dev.irsa.testing.aws.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every retry path of the executor, driven by the fakes' fault injection on a manual clock: no real sleeping. */
class AwsRetryFakeTest {
    private final FakeAws aws = FakeAws.create();
    private final AwsExecutor executor = aws.executor();
    private final Ownership ci = Ownership.of("ci");

    @AfterEach
    void close() {
        aws.close();
    }

    private ClusterIdentity withProvider() {
        ClusterIdentity id = executor.identity().ofCluster(FakeAws.CLUSTER);
        executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        return id;
    }

    @Test
    void throttlingIsRetriedWithBackoffOnTheInjectedSleeper() {
        ClusterIdentity id = withProvider();
        aws.iam().faults().throttle("CreateRole", 2);
        Duration before = aws.clock().slept();
        RoleExecutor.Result r = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        assertThat(r.changes()).extracting(AwsChange::operation).startsWith("CreateRole");
        assertThat(aws.iam().calls().count("CreateRole")).isEqualTo(3);
        assertThat(aws.clock().slept().minus(before)).isEqualTo(Duration.ofMillis(500 + 1000));
    }

    @Test
    void serverErrorsAreRetriedThenReportedWithTheAttemptCount() {
        aws.eks().faults().serverError("DescribeCluster", 2);
        assertThat(executor.identity().ofCluster(FakeAws.CLUSTER).issuerUrl()).isEqualTo(aws.issuer().issuerUrl());

        aws.eks().faults().serverError("DescribeCluster", 99);
        assertThatThrownBy(() -> executor.identity().ofCluster(FakeAws.CLUSTER))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("ServerException");
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("gave up after 5 attempts");
                });
    }

    @Test
    void limitExceededIsNeverRetried() {
        ClusterIdentity id = withProvider();
        aws.iam().faults().fail("CreateRole", 5, "LimitExceeded", 409, "Cannot exceed quota for RolesPerAccount: 1000");
        assertThatThrownBy(() -> executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("LimitExceeded");
                    assertThat(e.operation()).isEqualTo("CreateRole");
                    assertThat(e.resource()).isEqualTo("role ci-deployer");
                });
        assertThat(aws.iam().calls().count("CreateRole")).isEqualTo(1);
    }

    @Test
    void accessDeniedIsNeverRetried() {
        aws.sts().faults().fail("GetCallerIdentity", 5, "AccessDenied", 403, "User is not authorized to perform sts:GetCallerIdentity");
        assertThatThrownBy(() -> executor.identity().callerIdentity())
                .isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("AccessDenied"));
        assertThat(aws.sts().calls().count("GetCallerIdentity")).isEqualTo(1);
        assertThat(aws.clock().slept()).isZero();
    }

    @Test
    void invalidPrincipalRightAfterTheProviderIsCreatedIsWaitedOut() {
        aws.iam().propagationDelay(Duration.ofSeconds(20));
        ClusterIdentity id = withProvider();
        RoleExecutor.Result r = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        assertThat(r.changes()).extracting(AwsChange::operation).startsWith("CreateRole");
        assertThat(aws.iam().calls().count("CreateRole")).isGreaterThan(1);
        assertThat(aws.clock().slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(20)).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void eventualConsistencyIsRetriedOnlyUpToTheConfiguredBound() {
        aws.iam().propagationDelay(Duration.ofMinutes(10));
        ClusterIdentity id = withProvider();
        AwsExecutor bounded = aws.executor(RetryPolicy.DEFAULT.withConsistencyBound(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> bounded.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("MalformedPolicyDocument");
                    assertThat(e.getMessage()).contains("Invalid principal").contains("waiting for IAM to propagate");
                });
        assertThat(aws.clock().slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(30)).isLessThan(Duration.ofSeconds(45));
    }

    @Test
    void noSuchEntityRightAfterCreateIsRetried() {
        ClusterIdentity id = withProvider();
        aws.iam().faults().fail("PutRolePolicy", 3, "NoSuchEntity", 404, "The role with name ci-deployer cannot be found.");
        RoleExecutor.Result r = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        assertThat(r.changes()).extracting(AwsChange::operation).containsExactly("CreateRole", "PutRolePolicy", "AttachRolePolicy");
        assertThat(aws.iam().calls().count("PutRolePolicy")).isEqualTo(4);
    }

    @Test
    void noSuchEntityOnAnExistingRoleIsNotWaitedFor() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        aws.iam().updateAssumeRolePolicy(b -> b.roleName("ci-deployer").policyDocument(Trusts.serviceAccount(id, "x", "y")));
        aws.iam().calls().clear();
        aws.iam().faults().fail("UpdateAssumeRolePolicy", 1, "NoSuchEntity", 404, "The role with name ci-deployer cannot be found.");
        assertThatThrownBy(() -> executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("NoSuchEntity"));
        assertThat(aws.iam().calls().count("UpdateAssumeRolePolicy")).isEqualTo(1);
    }

    @Test
    void createAppliedButTimedOutConvergesWithoutADuplicate() {
        ClusterIdentity id = withProvider();
        aws.iam().faults().succeedThenTimeout("CreateRole");
        RoleExecutor.Result r = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        // First CreateRole applied (client saw a timeout), the retry got EntityAlreadyExists, the executor looked again.
        assertThat(aws.iam().calls().count("CreateRole")).isEqualTo(2);
        assertThat(aws.iam().roleNames()).containsExactly("ci-deployer");
        assertThat(r.arn()).isEqualTo("arn:aws:iam::123456789012:role/irsa/ci-deployer");
        assertThat(aws.iam().inlinePolicies("ci-deployer")).containsOnlyKeys("permissions");
        assertThat(executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false).changes()).isEmpty();
    }

    @Test
    void providerCreateAppliedButTimedOutConverges() {
        ClusterIdentity id = executor.identity().ofCluster(FakeAws.CLUSTER);
        aws.iam().faults().succeedThenTimeout("CreateOpenIDConnectProvider");
        OidcProviderExecutor.Result r = executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        assertThat(r.arn()).isEqualTo(id.providerArn());
        assertThat(aws.iam().oidcProviderArns()).containsExactly(id.providerArn());
    }

    @Test
    void aCrashAtAnyCallLeavesSomethingTheNextApplyCompletes() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "ci-deployer", "ci", "deployer");
        // ensure: GetAccountSummary, GetRole, CreateRole, PutRolePolicy, AttachRolePolicy; create: the same without GetRole.
        for (int k = 1; k <= 9; k++) {
            boolean viaCreate = k > 5;
            int call = viaCreate ? k - 5 : k;
            executor.roles().delete("ci-deployer", ci);
            // A policy that never retries, so the injected failure surfaces like a crash at call k.
            AwsExecutor fragile = aws.executor(RetryPolicy.DEFAULT.withTransientAttempts(1));
            aws.iam().faults().clear();
            aws.iam().faults().failAtCall(call);
            assertThatThrownBy(() -> {
                if (viaCreate) {
                    fragile.roles().create(desired, ci);
                } else {
                    fragile.roles().ensure(desired, ci, false);
                }
            })
                    .isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            aws.iam().faults().clear();
            executor.roles().ensure(desired, ci, false);
            assertThat(executor.roles().ensure(desired, ci, false).changes()).as("after a crash at call %d", k).isEmpty();
            ObservedRole role = executor.roles().observe("ci-deployer").orElseThrow();
            assertThat(role.inlinePolicies()).containsOnlyKeys("permissions");
            assertThat(role.managedPolicyArns()).containsExactly("arn:aws:iam::aws:policy/ReadOnlyAccess");
            assertThat(role.ownedBy(ci)).isTrue();
        }
    }

    @Test
    void latencyIsSpentOnTheInjectedSleeper() {
        aws.sts().faults().latency(Duration.ofSeconds(3));
        executor.identity().callerIdentity();
        assertThat(aws.clock().slept()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void stsAssumeFailsWhileTheNewRoleIsPropagatingAndWorksAfterwards() {
        ClusterIdentity id = withProvider();
        aws.iam().propagationDelay(Duration.ofSeconds(15));
        String arn = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false).arn();
        String token = aws.issuer().mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
        assertThatThrownBy(() -> aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").webIdentityToken(token)))
                .hasMessageContaining("Not authorized");
        assertThat(aws.sts().lastDenial()).hasValueSatisfying(d -> assertThat(d).contains("not propagated"));
        aws.clock().advance(Duration.ofSeconds(15));
        assertThat(aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").webIdentityToken(token)).credentials()).isNotNull();
    }
}
