package dev.irsa.testing.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One IAM scenario suite, run against {@link FakeIam} and against a real moto server, so the fake
 * cannot drift from the wire behaviour the SDK sees. Each test uses fresh names so the suite can share
 * one server.
 */
abstract class IamContract {
    protected static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/";

    protected abstract IamClient iam();

    /**
     * Real IAM treats role names ignoring case (a second "NAME" is EntityAlreadyExists, GetRole("name")
     * finds "Name"); moto 5.2.1 does neither, so those checks run against the fake only.
     */
    protected abstract boolean enforcesCaseInsensitiveRoleNames();

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();

    private String accountId() {
        return iam().getRole(b -> b.roleName(createRole("acct-" + suffix, "/"))).role().arn().split(":")[4];
    }

    private String providerUrl() {
        return ISSUER + suffix;
    }

    private String createProvider() {
        return iam().createOpenIDConnectProvider(b -> b.url(providerUrl()).clientIDList("sts.amazonaws.com")
                .tags(Tag.builder().key("irsa.dev/managed-by").value("irsa").build())).openIDConnectProviderArn();
    }

    private String trust(String providerArn, String sub) {
        String hostPath = providerUrl().substring("https://".length());
        return IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW)
                .addPrincipal(IamPrincipalType.FEDERATED, providerArn)
                .addAction("sts:AssumeRoleWithWebIdentity")
                .addCondition(IamConditionOperator.STRING_EQUALS, hostPath + ":sub", sub)
                .addCondition(IamConditionOperator.STRING_EQUALS, hostPath + ":aud", "sts.amazonaws.com")).build().toJson();
    }

    private String serviceTrust() {
        return IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW)
                .addPrincipal(IamPrincipalType.SERVICE, "ec2.amazonaws.com").addAction("sts:AssumeRole")).build().toJson();
    }

    private static String permissions(String action) {
        return IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW).addAction(action).addResource("*")).build().toJson();
    }

    private String createRole(String name, String path) {
        iam().createRole(b -> b.roleName(name).path(path).assumeRolePolicyDocument(serviceTrust()));
        return name;
    }

    @Test
    void oidcProviderIsCreatedListedAndReadBack() {
        String arn = createProvider();
        assertThat(arn).endsWith(":oidc-provider/" + providerUrl().substring("https://".length()));
        assertThat(iam().listOpenIDConnectProviders().openIDConnectProviderList()).anySatisfy(e -> assertThat(e.arn()).isEqualTo(arn));
        GetOpenIdConnectProviderResponse p = iam().getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        assertThat(p.url()).isEqualTo(providerUrl().substring("https://".length()));
        assertThat(p.clientIDList()).containsExactly("sts.amazonaws.com");
        assertThat(p.tags()).extracting(Tag::key).contains("irsa.dev/managed-by");
        assertThatThrownBy(this::createProvider).isInstanceOf(EntityAlreadyExistsException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(409));
        iam().deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        assertThatThrownBy(() -> iam().getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void roleKeepsTagsPathDescriptionAndReturnsItsTrustUrlEncoded() {
        String providerArn = createProvider();
        String name = "irsa-" + suffix;
        String trust = trust(providerArn, "system:serviceaccount:ci:deployer");
        Role created = iam().createRole(b -> b.roleName(name).path("/irsa/").description("ci deployer").maxSessionDuration(7200)
                .assumeRolePolicyDocument(trust).tags(Tag.builder().key("irsa.dev/stack").value("ci").build())).role();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + created.arn().split(":")[4] + ":role/irsa/" + name);
        assertThat(created.roleId()).startsWith("AROA");

        Role got = iam().getRole(b -> b.roleName(name)).role();
        assertThat(got.path()).isEqualTo("/irsa/");
        assertThat(got.description()).isEqualTo("ci deployer");
        assertThat(got.maxSessionDuration()).isEqualTo(7200);
        assertThat(got.tags()).containsExactly(Tag.builder().key("irsa.dev/stack").value("ci").build());
        assertThat(got.assumeRolePolicyDocument()).startsWith("%7B");
        String decoded = URLDecoder.decode(got.assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        assertThat(IamPolicy.fromJson(decoded)).isEqualTo(IamPolicy.fromJson(trust));
    }

    @Test
    void trustIsUpdated() {
        String providerArn = createProvider();
        String name = "upd-" + suffix;
        iam().createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust(providerArn, "system:serviceaccount:ci:a")));
        String updated = trust(providerArn, "system:serviceaccount:ci:b");
        iam().updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(updated));
        String doc = URLDecoder.decode(iam().getRole(b -> b.roleName(name)).role().assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        assertThat(IamPolicy.fromJson(doc)).isEqualTo(IamPolicy.fromJson(updated));
        assertThatThrownBy(() -> iam().updateAssumeRolePolicy(b -> b.roleName("missing-" + suffix).policyDocument(updated)))
                .isInstanceOf(NoSuchEntityException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity"));
    }

    @Test
    void inlinePoliciesArePutReadUrlEncodedAndDeleted() {
        String name = createRole("inl-" + suffix, "/");
        String doc = permissions("s3:GetObject");
        iam().putRolePolicy(b -> b.roleName(name).policyName("read").policyDocument(doc));
        iam().putRolePolicy(b -> b.roleName(name).policyName("write").policyDocument(permissions("s3:PutObject")));
        assertThat(iam().listRolePolicies(b -> b.roleName(name)).policyNames()).containsExactlyInAnyOrder("read", "write");
        String got = iam().getRolePolicy(b -> b.roleName(name).policyName("read")).policyDocument();
        assertThat(got).startsWith("%7B");
        assertThat(IamPolicy.fromJson(URLDecoder.decode(got, StandardCharsets.UTF_8))).isEqualTo(IamPolicy.fromJson(doc));
        iam().deleteRolePolicy(b -> b.roleName(name).policyName("read"));
        assertThat(iam().listRolePolicies(b -> b.roleName(name)).policyNames()).containsExactly("write");
        assertThatThrownBy(() -> iam().getRolePolicy(b -> b.roleName(name).policyName("read"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> iam().deleteRolePolicy(b -> b.roleName(name).policyName("read"))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void managedPoliciesAreAttachedAndDetached() {
        String name = createRole("mgd-" + suffix, "/");
        String arn = iam().createPolicy(b -> b.policyName("p-" + suffix).path("/irsa/").policyDocument(permissions("s3:ListBucket"))).policy().arn();
        iam().attachRolePolicy(b -> b.roleName(name).policyArn(arn));
        assertThat(iam().listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies())
                .singleElement().satisfies(p -> {
                    assertThat(p.policyArn()).isEqualTo(arn);
                    assertThat(p.policyName()).isEqualTo("p-" + suffix);
                });
        iam().detachRolePolicy(b -> b.roleName(name).policyArn(arn));
        assertThat(iam().listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()).isEmpty();
        assertThatThrownBy(() -> iam().detachRolePolicy(b -> b.roleName(name).policyArn(arn))).isInstanceOf(NoSuchEntityException.class);
        String missing = "arn:aws:iam::" + arn.split(":")[4] + ":policy/missing-" + suffix;
        assertThatThrownBy(() -> iam().attachRolePolicy(b -> b.roleName(name).policyArn(missing))).isInstanceOf(NoSuchEntityException.class);
        iam().deletePolicy(b -> b.policyArn(arn));
    }

    @Test
    void rolesAreListedByPathPrefixAcrossPages() {
        String path = "/page" + suffix + "/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(createRole("pg" + i + "-" + suffix, path));
        }
        createRole("other-" + suffix, "/elsewhere" + suffix + "/");
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListRolesResponse page = iam().listRoles(b -> b.pathPrefix(path).maxItems(2).marker(m));
            assertThat(page.roles()).hasSizeLessThanOrEqualTo(2);
            page.roles().forEach(r -> seen.add(r.roleName()));
            marker = page.isTruncated() ? page.marker() : null;
            if (page.isTruncated()) {
                assertThat(page.marker()).isNotBlank();
            }
            pages++;
        } while (marker != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        assertThat(iam().listRolesPaginator(b -> b.pathPrefix(path).maxItems(2)).roles().stream().map(Role::roleName).toList())
                .containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void deletingARoleWithPoliciesIsAConflictAndAMissingRoleIsNoSuchEntity() {
        String name = createRole("del-" + suffix, "/");
        iam().putRolePolicy(b -> b.roleName(name).policyName("p").policyDocument(permissions("s3:GetObject")));
        assertThatThrownBy(() -> iam().deleteRole(b -> b.roleName(name)))
                .isInstanceOf(DeleteConflictException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(409));
        iam().deleteRolePolicy(b -> b.roleName(name).policyName("p"));
        iam().deleteRole(b -> b.roleName(name));
        assertThatThrownBy(() -> iam().getRole(b -> b.roleName(name)))
                .isInstanceOf(NoSuchEntityException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> iam().deleteRole(b -> b.roleName(name))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void roleNamesAreLookedUpIgnoringCaseAndDuplicatesAreRejected() {
        String name = createRole("Case-" + suffix, "/");
        assertThatThrownBy(() -> createRole(name, "/")).isInstanceOf(EntityAlreadyExistsException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(409));
        if (enforcesCaseInsensitiveRoleNames()) {
            assertThat(iam().getRole(b -> b.roleName(name.toLowerCase())).role().roleName()).isEqualTo(name);
            assertThatThrownBy(() -> createRole(name.toUpperCase(), "/")).isInstanceOf(EntityAlreadyExistsException.class);
        }
    }

    @Test
    void roleTagsAreAddedAndListed() {
        String name = createRole("tag-" + suffix, "/");
        iam().tagRole(b -> b.roleName(name).tags(Tag.builder().key("irsa.dev/managed-by").value("irsa").build(),
                Tag.builder().key("irsa.dev/stack").value("ci").build()));
        assertThat(iam().listRoleTags(b -> b.roleName(name)).tags()).extracting(Tag::key)
                .containsExactlyInAnyOrder("irsa.dev/managed-by", "irsa.dev/stack");
        assertThat(accountId()).matches("\\d{12}");
    }

    @Test
    void accountSummaryReportsTheTrustPolicyQuota() {
        assertThat(iam().getAccountSummary(b -> { }).summaryMapAsStrings()).containsEntry("AssumeRolePolicySizeQuota", 2048);
    }
}
