package dev.irsa.aws;

import dev.irsa.ValidationException;
import dev.irsa.policy.OidcProvider;
import dev.irsa.testing.aws.FakeAws;
import dev.irsa.testing.aws.FakeEks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AWS executor against the fakes: observe, converge, ownership, delete, and the full IRSA path through FakeSts. */
class AwsExecutorFakeTest {
    private final FakeAws aws = FakeAws.create();
    private final AwsExecutor executor = aws.executor();
    private final Ownership ci = Ownership.of("ci");

    @AfterEach
    void close() {
        aws.close();
    }

    private ClusterIdentity identity() {
        return executor.identity().ofCluster(FakeAws.CLUSTER);
    }

    private ClusterIdentity withProvider() {
        ClusterIdentity id = identity();
        executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        return id;
    }

    @Test
    void clusterIdentityComesFromOneDescribeCluster() {
        ClusterIdentity id = identity();
        assertThat(id.issuerUrl()).isEqualTo(aws.issuer().issuerUrl());
        assertThat(id.accountId()).isEqualTo("123456789012");
        assertThat(id.partition()).isEqualTo("aws");
        assertThat(id.providerArn()).isEqualTo("arn:aws:iam::123456789012:oidc-provider/" + aws.issuer().hostPath());
        assertThat(aws.eks().calls().all()).containsExactly("DescribeCluster");
        assertThat(aws.sts().calls().all()).isEmpty();   // account and partition come from the cluster ARN
    }

    @Test
    void aChinaClusterGivesTheAwsCnPartitionFromItsArn() {
        FakeEks china = FakeEks.builder().region("cn-north-1").accountId("210987654321").build()
                .addCluster("prod", "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF");
        AwsExecutor cn = AwsExecutor.builder().iam(aws.iam()).sts(aws.sts()).eks(china).build();

        ClusterIdentity id = cn.identity().ofCluster("prod");

        assertThat(id.partition()).isEqualTo("aws-cn");
        assertThat(id.accountId()).isEqualTo("210987654321");
        assertThat(id.providerArn()).isEqualTo("arn:aws-cn:iam::210987654321:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF");
        assertThat(aws.sts().calls().all()).isEmpty();
    }

    private OidcProvider provider(ClusterIdentity id) {
        return OidcProvider.of(id.issuerUrl(), id.accountId(), id.partition());
    }

    @Test
    void aProviderOfAKnownAccountIsReadWithOneGetAndCreatedWithoutReadingFirst() {
        ClusterIdentity id = identity();
        OidcProvider provider = provider(id);
        DesiredOidcProvider desired = DesiredOidcProvider.forIssuer(id.issuerUrl());

        assertThat(executor.oidcProviders().observe(provider)).isEmpty();
        assertThat(aws.iam().calls().all()).containsExactly("GetOpenIDConnectProvider");   // NoSuchEntity = absent

        aws.iam().calls().clear();
        OidcProviderExecutor.Result created = executor.oidcProviders().create(provider, desired, ci);
        assertThat(created.arn()).isEqualTo(provider.arn());
        assertThat(aws.iam().calls().all()).containsExactly("CreateOpenIDConnectProvider");

        aws.iam().calls().clear();
        assertThat(executor.oidcProviders().ensure(provider, desired, ci, false).changes()).isEmpty();
        ObservedOidcProvider observed = executor.oidcProviders().observe(provider).orElseThrow();
        assertThat(observed.arn()).isEqualTo(provider.arn());
        assertThat(observed.ownedBy(ci)).isTrue();
        assertThat(aws.iam().calls().all()).containsExactly("GetOpenIDConnectProvider", "GetOpenIDConnectProvider");
    }

    @Test
    void creatingAProviderThatExistsAfterAllConvergesWithoutTouchingAnotherOwners() {
        ClusterIdentity id = identity();
        OidcProvider provider = provider(id);
        aws.iam().createOpenIDConnectProvider(b -> b.url(id.issuerUrl()).clientIDList("sts.amazonaws.com"));
        aws.iam().calls().clear();

        OidcProviderExecutor.Result r = executor.oidcProviders().create(provider, DesiredOidcProvider.forIssuer(id.issuerUrl()), ci);
        assertThat(r.arn()).isEqualTo(provider.arn());
        assertThat(r.changes()).isEmpty();
        assertThat(aws.iam().calls().all()).containsExactly("CreateOpenIDConnectProvider", "GetOpenIDConnectProvider");

        // One that lacks the audience is someone else's to change: refused, not adopted.
        assertThatThrownBy(() -> executor.oidcProviders().create(provider,
                new DesiredOidcProvider(id.issuerUrl(), List.of("other-audience"), List.of()), ci))
                .isInstanceOf(NotOwnedException.class);
        assertThat(aws.iam().calls().changing()).containsExactly("CreateOpenIDConnectProvider", "CreateOpenIDConnectProvider");
    }

    @Test
    void aProviderAndAnotherIssuerAreNotMixedUp() {
        ClusterIdentity id = identity();
        assertThatThrownBy(() -> executor.oidcProviders().ensure(provider(id), DesiredOidcProvider.forIssuer("https://gitlab.com"), ci, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(aws.iam().calls().all()).isEmpty();
    }

    @Test
    void aProviderOfAKnownAccountIsStillKeptWhileAnIrsaRoleTrustsIt() {
        ClusterIdentity id = identity();
        OidcProvider provider = provider(id);
        executor.oidcProviders().create(provider, DesiredOidcProvider.forIssuer(id.issuerUrl()), ci);
        executor.roles().create(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci);
        assertThatThrownBy(() -> executor.oidcProviders().delete(provider, ci))
                .isInstanceOfSatisfying(ProviderStillTrustedException.class, e -> {
                    assertThat(e.getMessage()).contains("ci-deployer");
                    assertThat(e.trustingRoles()).containsExactly("ci-deployer");
                });
        executor.roles().delete("ci-deployer", ci);
        assertThat(executor.oidcProviders().delete(provider, ci)).extracting(AwsChange::operation)
                .containsExactly("DeleteOpenIDConnectProvider");
        assertThat(executor.oidcProviders().delete(provider, ci)).isEmpty();
        assertThat(aws.iam().calls().count("ListOpenIDConnectProviders")).isZero();
    }

    @Test
    void aRoleIsCreatedWithoutReadingItBackAndCreateConvergesOneThatExists() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "ci-deployer", "ci", "deployer");
        aws.iam().calls().clear();

        RoleExecutor.Result created = executor.roles().create(desired, ci);
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:role/irsa/ci-deployer");
        assertThat(created.changes()).extracting(AwsChange::operation).containsExactly("CreateRole", "PutRolePolicy", "AttachRolePolicy");
        assertThat(aws.iam().calls().all()).doesNotContain("GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies");
        assertThat(executor.roles().ensure(desired, ci, false).changes()).isEmpty();

        // Exists after all (a stale plan, a concurrent apply): read and converged, drift repaired.
        aws.iam().updateAssumeRolePolicy(b -> b.roleName("ci-deployer").policyDocument(Trusts.serviceAccount(id, "ci", "other")));
        assertThat(executor.roles().create(desired, ci).changes()).extracting(AwsChange::operation).containsExactly("UpdateAssumeRolePolicy");
    }

    @Test
    void creatingARoleThatExistsUnownedIsRefused() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "legacy", "ci", "deployer");
        aws.iam().createRole(b -> b.roleName("legacy").path("/irsa/").assumeRolePolicyDocument(desired.trustPolicyJson()));
        aws.iam().calls().clear();
        assertThatThrownBy(() -> executor.roles().create(desired, ci)).isInstanceOf(NotOwnedException.class);
        assertThat(aws.iam().calls().changing()).containsExactly("CreateRole");   // the refused attempt only
        assertThat(aws.iam().roleTags("legacy")).doesNotContainKey("irsa.dev/stack");
    }

    @Test
    void issuerGivenDirectlyNeedsNoEksCallAndPartitionFollowsTheCaller() {
        aws.sts().callerArn("arn:aws-cn:iam::210987654321:user/ops");
        ClusterIdentity id = executor.identity().ofIssuer("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC/");
        assertThat(id.providerArn()).isEqualTo("arn:aws-cn:iam::210987654321:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC");
        assertThat(aws.eks().calls().all()).isEmpty();
    }

    @Test
    void missingClusterIsReportedWithTheCall() {
        assertThatThrownBy(() -> executor.identity().ofCluster("nope"))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.operation()).isEqualTo("DescribeCluster");
                    assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("cluster nope");
                });
    }

    @Test
    void providerIsCreatedOnceWithOwnershipTags() {
        ClusterIdentity id = identity();
        OidcProviderExecutor.Result first = executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        assertThat(first.arn()).isEqualTo(id.providerArn());
        assertThat(first.changes()).extracting(AwsChange::operation).containsExactly("CreateOpenIDConnectProvider");
        ObservedOidcProvider observed = executor.oidcProviders().observe(id.issuerUrl()).orElseThrow();
        assertThat(observed.tags()).containsEntry("irsa.dev/managed-by", "irsa").containsEntry("irsa.dev/stack", "ci");
        assertThat(observed.clientIds()).containsExactly("sts.amazonaws.com");

        aws.iam().calls().clear();
        OidcProviderExecutor.Result again = executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        assertThat(again.changes()).isEmpty();
        assertThat(aws.iam().calls().changing()).isEmpty();
    }

    @Test
    void someoneElsesProviderIsUsedAsIsButNeverChangedUnlessAdopted() {
        ClusterIdentity id = identity();
        aws.iam().createOpenIDConnectProvider(b -> b.url(id.issuerUrl()).clientIDList("other-audience"));
        DesiredOidcProvider desired = DesiredOidcProvider.forIssuer(id.issuerUrl());
        assertThatThrownBy(() -> executor.oidcProviders().ensure(desired, ci, false))
                .isInstanceOfSatisfying(NotOwnedException.class, e -> {
                    assertThat(e.operation()).isEqualTo("AddClientIDToOpenIDConnectProvider");
                    assertThat(e.getMessage()).contains("not owned by irsa stack 'ci'");
                });
        assertThat(aws.iam().calls().changing()).containsExactly("CreateOpenIDConnectProvider");

        OidcProviderExecutor.Result adopted = executor.oidcProviders().ensure(desired, ci, true);
        assertThat(adopted.changes()).extracting(AwsChange::operation)
                .containsExactly("TagOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider");
        assertThat(executor.oidcProviders().observe(id.issuerUrl()).orElseThrow().clientIds())
                .containsExactly("other-audience", "sts.amazonaws.com");
    }

    @Test
    void unownedProviderThatAlreadyFitsIsUsedWithoutChanges() {
        ClusterIdentity id = identity();
        aws.iam().createOpenIDConnectProvider(b -> b.url(id.issuerUrl()).clientIDList("sts.amazonaws.com"));
        OidcProviderExecutor.Result r = executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        assertThat(r.changes()).isEmpty();
        assertThatThrownBy(() -> executor.oidcProviders().delete(id.issuerUrl(), ci)).isInstanceOf(NotOwnedException.class);
        assertThat(aws.iam().oidcProviderArns()).containsExactly(id.providerArn());
    }

    /**
     * Issue 13 finding 11b: a role irsa does not own (no tags, created by someone else) trusts irsa's provider.
     * Deleting the provider would break that role's web identity, so it is kept and the exception says why.
     */
    @Test
    void providerIsNotDeletedWhileAForeignRoleTrustsIt() {
        ClusterIdentity id = withProvider();
        aws.iam().createRole(b -> b.roleName("team-b-app").assumeRolePolicyDocument(Trusts.serviceAccount(id, "b", "app")));
        assertThatThrownBy(() -> executor.oidcProviders().delete(id.issuerUrl(), ci))
                .isInstanceOfSatisfying(ProviderStillTrustedException.class, e -> {
                    assertThat(e.trustingRoles()).containsExactly("team-b-app");
                    assertThat(e.getMessage()).contains("team-b-app");
                });
        assertThat(aws.iam().oidcProviderArns()).containsExactly(id.providerArn());
        assertThat(aws.iam().calls().count("ListRoleTags")).as("any trusting role counts: no tags needed").isZero();
        aws.iam().deleteRole(b -> b.roleName("team-b-app"));
        assertThat(executor.oidcProviders().delete(id.issuerUrl(), ci)).extracting(AwsChange::operation)
                .containsExactly("DeleteOpenIDConnectProvider");
    }

    @Test
    void providerIsNotDeletedWhileAnIrsaRoleTrustsIt() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        assertThatThrownBy(() -> executor.oidcProviders().delete(id.issuerUrl(), ci))
                .isInstanceOfSatisfying(ProviderStillTrustedException.class, e -> assertThat(e.getMessage()).contains("ci-deployer"));
        executor.roles().delete("ci-deployer", ci);
        assertThat(executor.oidcProviders().delete(id.issuerUrl(), ci)).extracting(AwsChange::operation)
                .containsExactly("DeleteOpenIDConnectProvider");
        assertThat(executor.oidcProviders().delete(id.issuerUrl(), ci)).isEmpty();
    }

    @Test
    void roleIsCreatedWithEverythingAndReapplyMakesNoChangingCall() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "ci-deployer", "ci", "deployer");
        aws.iam().calls().clear();
        RoleExecutor.Result created = executor.roles().ensure(desired, ci, false);
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:role/irsa/ci-deployer");
        assertThat(created.changes()).extracting(AwsChange::operation).containsExactly("CreateRole", "PutRolePolicy", "AttachRolePolicy");
        assertThat(aws.iam().calls().count("GetRole")).isEqualTo(1);   // found absent, created, not read back

        ObservedRole observed = executor.roles().observe("ci-deployer").orElseThrow();
        assertThat(observed.tags()).containsEntry("team", "platform").containsEntry("irsa.dev/managed-by", "irsa").containsEntry("irsa.dev/stack", "ci");
        assertThat(observed.trustPolicyJson()).startsWith("{");
        assertThat(observed.inlinePolicies()).containsOnlyKeys("permissions");
        assertThat(observed.managedPolicyArns()).containsExactly("arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(observed.description()).isEqualTo("irsa role for ci/deployer");

        aws.iam().calls().clear();
        RoleExecutor.Result again = executor.roles().ensure(desired, ci, false);
        assertThat(again.changes()).isEmpty();
        assertThat(aws.iam().calls().changing()).isEmpty();
    }

    @Test
    void trustDriftIsFoundByMeaningAndRepairedWithOneCall() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "ci-deployer", "ci", "deployer");
        executor.roles().ensure(desired, ci, false);
        // Same meaning, different text: not drift.
        String reformatted = desired.trustPolicyJson().replace(",", ",\n  ");
        aws.iam().updateAssumeRolePolicy(b -> b.roleName("ci-deployer").policyDocument(reformatted));
        assertThat(executor.roles().ensure(desired, ci, false).changes()).isEmpty();
        // Someone widened the trust to every service account: drift.
        aws.iam().updateAssumeRolePolicy(b -> b.roleName("ci-deployer").policyDocument(Trusts.serviceAccount(id, "ci", "other")));
        aws.iam().calls().clear();
        assertThat(executor.roles().ensure(desired, ci, false).changes()).extracting(AwsChange::operation)
                .containsExactly("UpdateAssumeRolePolicy");
        assertThat(aws.iam().calls().changing()).containsExactly("UpdateAssumeRolePolicy");
        assertThat(aws.iam().trustPolicy("ci-deployer")).contains(desired.trustPolicyJson());
    }

    @Test
    void policiesConvergeToExactlyTheDesiredSet() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        aws.iam().putRolePolicy(b -> b.roleName("ci-deployer").policyName("stray").policyDocument(Trusts.permissions("s3:*")));
        aws.iam().attachRolePolicy(b -> b.roleName("ci-deployer").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        DesiredRole next = DesiredRole.builder().name("ci-deployer").path("/irsa/").description("changed").maxSessionDurationSeconds(7200)
                .trustPolicyJson(Trusts.serviceAccount(id, "ci", "deployer"))
                .putInlinePolicy("permissions", Trusts.permissions("eks:DescribeCluster", "eks:ListClusters"))
                .addManagedPolicyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                .putTag("team", "platform").build();
        RoleExecutor.Result r = executor.roles().ensure(next, ci, false);
        assertThat(r.changes()).extracting(AwsChange::operation).containsExactlyInAnyOrder(
                "UpdateRole", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "DetachRolePolicy");
        assertThat(aws.iam().inlinePolicies("ci-deployer")).containsOnlyKeys("permissions");
        assertThat(aws.iam().attachedPolicies("ci-deployer")).containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(executor.roles().ensure(next, ci, false).changes()).isEmpty();
    }

    @Test
    void permissionsBoundaryIsPutAndRemoved() {
        ClusterIdentity id = withProvider();
        DesiredRole base = Trusts.role(id, "bounded", "ci", "deployer");
        executor.roles().ensure(base, ci, false);
        DesiredRole bounded = DesiredRole.builder().name("bounded").path("/irsa/").description(base.description())
                .trustPolicyJson(base.trustPolicyJson()).putInlinePolicy("permissions", base.inlinePolicies().get("permissions"))
                .addManagedPolicyArn("arn:aws:iam::aws:policy/ReadOnlyAccess").putTag("team", "platform")
                .permissionsBoundaryArn("arn:aws:iam::aws:policy/PowerUserAccess").build();
        assertThat(executor.roles().ensure(bounded, ci, false).changes()).extracting(AwsChange::operation).containsExactly("PutRolePermissionsBoundary");
        assertThat(executor.roles().observe("bounded").orElseThrow().permissionsBoundaryArn()).isEqualTo("arn:aws:iam::aws:policy/PowerUserAccess");
        assertThat(executor.roles().ensure(base, ci, false).changes()).extracting(AwsChange::operation).containsExactly("DeleteRolePermissionsBoundary");
    }

    @Test
    void unownedRoleIsRefusedUnlessAdoptedAndNeverDeleted() {
        ClusterIdentity id = withProvider();
        DesiredRole desired = Trusts.role(id, "legacy", "ci", "deployer");
        aws.iam().createRole(b -> b.roleName("legacy").path("/irsa/").assumeRolePolicyDocument(desired.trustPolicyJson()));
        assertThatThrownBy(() -> executor.roles().ensure(desired, ci, false)).isInstanceOf(NotOwnedException.class);
        assertThatThrownBy(() -> executor.roles().delete("legacy", ci)).isInstanceOf(NotOwnedException.class);
        assertThatThrownBy(() -> executor.roles().ensure(desired, Ownership.of("other"), false)).isInstanceOf(NotOwnedException.class);
        assertThat(aws.iam().roleNames()).containsExactly("legacy");

        RoleExecutor.Result adopted = executor.roles().ensure(desired, ci, true);
        assertThat(adopted.changes()).extracting(AwsChange::operation).startsWith("TagRole");
        assertThat(aws.iam().roleTags("legacy")).containsEntry("irsa.dev/stack", "ci");
        assertThat(executor.roles().ensure(desired, ci, false).changes()).isEmpty();
    }

    @Test
    void aRoleOwnedByAnotherStackIsNotTouched() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "shared", "ci", "deployer"), Ownership.of("other"), false);
        assertThatThrownBy(() -> executor.roles().delete("shared", ci))
                .hasMessageContaining("irsa.dev/stack=other");
    }

    @Test
    void nameDifferingOnlyInCaseIsAConflict() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "CI-Deployer", "ci", "deployer"), ci, false);
        assertThatThrownBy(() -> executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("EntityAlreadyExists");
                    assertThat(e.getMessage()).contains("unique ignoring case");
                });
    }

    @Test
    void aRoleCannotMovePath() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "mover", "ci", "deployer"), ci, false);
        DesiredRole moved = DesiredRole.builder().name("mover").path("/other/").trustPolicyJson(Trusts.serviceAccount(id, "ci", "deployer")).build();
        assertThatThrownBy(() -> executor.roles().ensure(moved, ci, false)).hasMessageContaining("IAM cannot move a role");
    }

    @Test
    void deleteDetachesDeletesInlineThenTheRoleAndIsIdempotent() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        aws.iam().calls().clear();
        List<AwsChange> changes = executor.roles().delete("ci-deployer", ci);
        assertThat(changes).extracting(AwsChange::operation).containsExactly("DetachRolePolicy", "DeleteRolePolicy", "DeleteRole");
        assertThat(aws.iam().calls().changing()).containsExactly("DetachRolePolicy", "DeleteRolePolicy", "DeleteRole");
        assertThat(aws.iam().roleNames()).isEmpty();
        assertThat(executor.roles().delete("ci-deployer", ci)).isEmpty();
    }

    @Test
    void deleteConflictFromAConcurrentAttachIsCleanedUpAndRetried() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        aws.iam().faults().fail("DeleteRole", 1, "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.");
        List<AwsChange> changes = executor.roles().delete("ci-deployer", ci);
        assertThat(changes).extracting(AwsChange::operation).endsWith("DeleteRole");
        assertThat(aws.iam().calls().count("DeleteRole")).isEqualTo(2);
        assertThat(aws.iam().roleNames()).isEmpty();
    }

    @Test
    void persistentDeleteConflictIsReportedReadably() {
        ClusterIdentity id = withProvider();
        executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false);
        aws.iam().faults().fail("DeleteRole", 10, "DeleteConflict", 409, "Cannot delete entity, must remove roles from instance profile first.");
        assertThatThrownBy(() -> executor.roles().delete("ci-deployer", ci))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("DeleteRole on role ci-deployer failed: DeleteConflict (HTTP 409): "
                            + "Cannot delete entity, must remove roles from instance profile first.");
                    assertThat(e.statusCode()).isEqualTo(409);
                });
    }

    @Test
    void invalidInputFailsBeforeAnyRemoteCall() {
        assertThatThrownBy(() -> DesiredRole.builder().name("bad name!").trustPolicyJson("{}").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.name"));
        assertThatThrownBy(() -> DesiredRole.builder().name("ok").path("no-slash").trustPolicyJson("{}").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.path"));
        assertThatThrownBy(() -> DesiredOidcProvider.forIssuer("http://127.0.0.1:8080"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> executor.podIdentity().observe("c", "Bad_NS", "sa")).isInstanceOf(ValidationException.class);
        assertThat(aws.iam().calls().all()).isEmpty();
        assertThat(aws.eks().calls().all()).isEmpty();
    }

    @Test
    void trustLargerThanTheAccountQuotaIsRejectedBeforeAnyChange() {
        ClusterIdentity id = withProvider();
        DesiredRole big = bigTrustRole(id, 60);
        assertThat(big.trustPolicySize()).isGreaterThan(2048).isLessThan(4096);
        aws.iam().calls().clear();
        assertThatThrownBy(() -> executor.roles().ensure(big, ci, false))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("2048"));
        assertThat(aws.iam().calls().changing()).isEmpty();

        aws.iam().trustPolicyQuota(4096);
        AwsExecutor fresh = aws.executor(); // the quota is read once per executor
        assertThat(fresh.roles().ensure(big, ci, false).changes()).extracting(AwsChange::operation).contains("CreateRole");
    }

    @Test
    void quotaFallsBackTo2048WhenTheAccountSummaryIsDenied() {
        aws.iam().faults().fail("GetAccountSummary", 1, "AccessDenied", 403, "not authorized to perform iam:GetAccountSummary");
        assertThat(executor.roles().trustPolicyQuota()).isEqualTo(RoleExecutor.DEFAULT_TRUST_POLICY_QUOTA);
        assertThat(aws.iam().calls().count("GetAccountSummary")).isEqualTo(1);
    }

    @Test
    void theCreatedRoleLetsExactlyThatServiceAccountAssumeItThroughFakeSts() {
        ClusterIdentity id = withProvider();
        String arn = executor.roles().ensure(Trusts.role(id, "ci-deployer", "ci", "deployer"), ci, false).arn();
        String token = aws.issuer().mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
        AssumeRoleWithWebIdentityResponse r = aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("job-1").webIdentityToken(token));
        assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/ci-deployer/job-1");
        assertThat(r.subjectFromWebIdentityToken()).isEqualTo("system:serviceaccount:ci:deployer");

        String other = aws.issuer().mintServiceAccountToken("ci", "intruder", List.of("sts.amazonaws.com"), Duration.ofHours(1));
        assertThatThrownBy(() -> aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("job-2").webIdentityToken(other)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                });
        assertThat(aws.sts().lastDenial()).hasValueSatisfying(d -> assertThat(d).contains(":sub"));
    }

    @Test
    void podIdentityAssociationIsCreatedUpdatedAndDeleted() {
        PodIdentityExecutor pods = executor.podIdentity();
        String roleA = "arn:aws:iam::123456789012:role/a";
        String roleB = "arn:aws:iam::123456789012:role/b";
        PodIdentityExecutor.Result created = pods.ensure(FakeAws.CLUSTER, "ci", "runner", roleA, ci, false);
        assertThat(created.changes()).extracting(AwsChange::operation).containsExactly("CreatePodIdentityAssociation");
        assertThat(pods.ensure(FakeAws.CLUSTER, "ci", "runner", roleA, ci, false).changes()).isEmpty();
        PodIdentityExecutor.Result updated = pods.ensure(FakeAws.CLUSTER, "ci", "runner", roleB, ci, false);
        assertThat(updated.associationId()).isEqualTo(created.associationId());
        assertThat(updated.changes()).extracting(AwsChange::operation).containsExactly("UpdatePodIdentityAssociation");
        assertThat(pods.observe(FakeAws.CLUSTER, "ci", "runner").orElseThrow().roleArn()).isEqualTo(roleB);
        assertThat(pods.delete(FakeAws.CLUSTER, "ci", "runner", ci)).extracting(AwsChange::operation).containsExactly("DeletePodIdentityAssociation");
        assertThat(pods.delete(FakeAws.CLUSTER, "ci", "runner", ci)).isEmpty();
        assertThat(aws.eks().podIdentityAssociations()).isEmpty();
    }

    @Test
    void someoneElsesPodIdentityAssociationIsNotRepointed() {
        aws.eks().createPodIdentityAssociation(b -> b.clusterName(FakeAws.CLUSTER).namespace("ci").serviceAccount("runner")
                .roleArn("arn:aws:iam::123456789012:role/theirs"));
        assertThatThrownBy(() -> executor.podIdentity().ensure(FakeAws.CLUSTER, "ci", "runner", "arn:aws:iam::123456789012:role/ours", ci, false))
                .isInstanceOf(NotOwnedException.class);
        assertThatThrownBy(() -> executor.podIdentity().delete(FakeAws.CLUSTER, "ci", "runner", ci)).isInstanceOf(NotOwnedException.class);
        PodIdentityExecutor.Result adopted = executor.podIdentity().ensure(FakeAws.CLUSTER, "ci", "runner", "arn:aws:iam::123456789012:role/ours", ci, true);
        assertThat(adopted.changes()).extracting(AwsChange::operation).containsExactly("UpdatePodIdentityAssociation", "TagResource");
        assertThat(executor.podIdentity().observe(FakeAws.CLUSTER, "ci", "runner").orElseThrow().ownedBy(ci)).isTrue();
    }

    @Test
    void podIdentityCreateRaceConvergesOnTheExistingAssociation() {
        String role = "arn:aws:iam::123456789012:role/a";
        executor.podIdentity().ensure(FakeAws.CLUSTER, "ci", "runner", role, ci, false);
        aws.eks().faults().succeedThenTimeout("CreatePodIdentityAssociation");
        executor.podIdentity().delete(FakeAws.CLUSTER, "ci", "runner", ci);
        assertThatThrownBy(() -> aws.eks().createPodIdentityAssociation(b -> b.clusterName(FakeAws.CLUSTER).namespace("ci")
                .serviceAccount("runner").roleArn(role).tags(Map.of("irsa.dev/managed-by", "irsa", "irsa.dev/stack", "ci"))))
                .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
        // The association exists although the caller saw a timeout; ensure finds it and changes nothing.
        assertThat(executor.podIdentity().ensure(FakeAws.CLUSTER, "ci", "runner", role, ci, false).changes()).isEmpty();
        assertThat(aws.eks().podIdentityAssociations()).hasSize(1);
    }

    private static DesiredRole bigTrustRole(ClusterIdentity id, int subjects) {
        StringBuilder subs = new StringBuilder();
        for (int i = 0; i < subjects; i++) {
            subs.append(i == 0 ? "" : ",").append("\"system:serviceaccount:ci:sa-").append(i).append('"');
        }
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + id.providerArn()
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"" + id.issuerHostPath()
                + ":sub\":[" + subs + "],\"" + id.issuerHostPath() + ":aud\":\"sts.amazonaws.com\"}}}]}";
        return DesiredRole.builder().name("big").trustPolicyJson(trust).build();
    }
}
