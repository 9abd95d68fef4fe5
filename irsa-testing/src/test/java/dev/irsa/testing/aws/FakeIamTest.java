package dev.irsa.testing.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FakeIam's AWS behaviour beyond what moto can confirm (validation, limits, propagation, faults). */
class FakeIamTest {
    private static final String SERVICE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private final ManualClock clock = ManualClock.startingNow();
    private final FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).build();

    private static String code(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @Test
    void roleNamesPathsAndSessionDurationsAreValidatedLikeIam() {
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("x".repeat(65)).assumeRolePolicyDocument(SERVICE_TRUST)))
                .isInstanceOf(IamException.class).satisfies(e -> {
                    assertThat(code(e)).isEqualTo("ValidationError");
                    assertThat(e).hasMessageContaining("Member must have length less than or equal to 64");
                    assertThat(((AwsServiceException) e).statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("a b").assumeRolePolicyDocument(SERVICE_TRUST)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("ok").path("ci").assumeRolePolicyDocument(SERVICE_TRUST)))
                .hasMessageContaining("'path'");
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("ok").maxSessionDuration(50000).assumeRolePolicyDocument(SERVICE_TRUST)))
                .hasMessageContaining("less than or equal to 43200");
        assertThat(iam.calls().count("CreateRole")).isEqualTo(4);
        assertThat(iam.roleNames()).isEmpty();
    }

    @Test
    void trustPoliciesAreCheckedForSyntaxSizeAndPrincipals() {
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument("{not json")))
                .isInstanceOf(MalformedPolicyDocumentException.class);
        String big = SERVICE_TRUST.replace("\"Effect\"", "\"Sid\":\"" + "S".repeat(2100) + "\",\"Effect\"");
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument(big)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("ACLSizePerRole: 2048");
        // Whitespace does not count against the quota.
        String padded = SERVICE_TRUST.replace(",", ",\n" + " ".repeat(3000));
        assertThat(iam.createRole(b -> b.roleName("padded").assumeRolePolicyDocument(padded)).role().roleName()).isEqualTo("padded");
        String federated = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                + "\"arn:aws:iam::123456789012:oidc-provider/oidc.example.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}";
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("fed").assumeRolePolicyDocument(federated)))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Invalid principal");
        String withResource = SERVICE_TRUST.replace("\"Action\"", "\"Resource\":\"*\",\"Action\"");
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("res").assumeRolePolicyDocument(withResource)))
                .hasMessageContaining("prohibited field Resource");
    }

    @Test
    void aNewProviderIsAnInvalidPrincipalUntilItHasPropagated() {
        iam.propagationDelay(Duration.ofSeconds(10));
        String arn = iam.createOpenIDConnectProvider(b -> b.url("https://oidc.example.com").clientIDList("sts.amazonaws.com")).openIDConnectProviderArn();
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + arn
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}";
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("fed").assumeRolePolicyDocument(trust))).hasMessageContaining("Invalid principal");
        clock.advance(Duration.ofSeconds(10));
        assertThat(iam.createRole(b -> b.roleName("fed").assumeRolePolicyDocument(trust)).role().arn()).endsWith(":role/fed");
    }

    @Test
    void inlinePoliciesShareA10240CharacterBudget() {
        iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument(SERVICE_TRUST));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "A".repeat(6000)
                + "\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        iam.putRolePolicy(b -> b.roleName("r").policyName("one").policyDocument(policy));
        assertThatThrownBy(() -> iam.putRolePolicy(b -> b.roleName("r").policyName("two").policyDocument(policy)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("10240");
        assertThatThrownBy(() -> iam.putRolePolicy(b -> b.roleName("r").policyName("bad").policyDocument("{\"Statement\":\"\u0100\"}")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
    }

    @Test
    void tagsAreValidatedAndLimitedTo50() {
        iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument(SERVICE_TRUST));
        assertThatThrownBy(() -> iam.tagRole(b -> b.roleName("r").tags(Tag.builder().key("aws:reserved").value("x").build())))
                .isInstanceOf(InvalidInputException.class);
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tags.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThatThrownBy(() -> iam.tagRole(b -> b.roleName("r").tags(tags))).isInstanceOf(LimitExceededException.class);
        iam.tagRole(b -> b.roleName("r").tags(tags.subList(0, 50)));
        assertThat(iam.roleTags("r")).hasSize(50);
        assertThat(iam.listRoleTagsPaginator(b -> b.roleName("r").maxItems(7)).tags().stream().count()).isEqualTo(50);
    }

    @Test
    void oidcProviderUrlsThumbprintsAndClientIdsAreValidated() {
        assertThatThrownBy(() -> iam.createOpenIDConnectProvider(b -> b.url("http://oidc.example.com").clientIDList("a")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> iam.createOpenIDConnectProvider(b -> b.url("https://oidc.example.com:8443").clientIDList("a")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> iam.createOpenIDConnectProvider(b -> b.url("https://oidc.example.com").thumbprintList("abc")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        String arn = iam.createOpenIDConnectProvider(b -> b.url("https://oidc.example.com/").clientIDList("a")
                .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")).openIDConnectProviderArn();
        assertThat(arn).isEqualTo("arn:aws:iam::123456789012:oidc-provider/oidc.example.com");
        iam.addClientIDToOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).clientID("sts.amazonaws.com"));
        iam.addClientIDToOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).clientID("sts.amazonaws.com"));
        assertThat(iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)).clientIDList()).containsExactly("a", "sts.amazonaws.com");
        // Deleting a missing provider is not an error (IAM documents the call as idempotent).
        iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        assertThatThrownBy(() -> iam.addClientIDToOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).clientID("x")))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void attachedPoliciesAreLimitedTo10PerRole() {
        iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument(SERVICE_TRUST));
        for (int i = 0; i < 10; i++) {
            int n = i;
            String arn = iam.createPolicy(b -> b.policyName("p" + n).policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}")).policy().arn();
            iam.attachRolePolicy(b -> b.roleName("r").policyArn(arn));
        }
        assertThatThrownBy(() -> iam.attachRolePolicy(b -> b.roleName("r").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess")))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("PoliciesPerRole: 10");
        assertThatThrownBy(() -> iam.deletePolicy(b -> b.policyArn("arn:aws:iam::123456789012:policy/p0")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DeleteConflict"));
    }

    @Test
    void paginationRejectsBadMaxItemsAndMarkers() {
        assertThatThrownBy(() -> iam.listRoles(b -> b.maxItems(0))).satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> iam.listRoles(b -> b.marker("garbage"))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void faultsHitEveryCallAndAreCounted() {
        iam.faults().throttle("GetRole", 1).serverError("ListRoles", 1);
        assertThatThrownBy(() -> iam.getRole(b -> b.roleName("r"))).isInstanceOf(IamException.class)
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo("Throttling");
                    assertThat(((AwsServiceException) e).isThrottlingException()).isTrue();
                });
        assertThatThrownBy(() -> iam.getRole(b -> b.roleName("r"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> iam.listRoles(b -> { })).satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(500));
        assertThat(iam.listRoles(b -> { }).roles()).isEmpty();

        iam.faults().failAtCall(2);
        iam.listRoles(b -> { });
        assertThatThrownBy(() -> iam.listRoles(b -> { })).hasMessageContaining("injected at call 2");

        iam.faults().succeedThenTimeout("CreateRole");
        assertThatThrownBy(() -> iam.createRole(b -> b.roleName("r").assumeRolePolicyDocument(SERVICE_TRUST)))
                .isInstanceOf(SdkClientException.class);
        assertThat(iam.roleNames()).containsExactly("r");

        iam.faults().latency(Duration.ofMillis(250));
        iam.getRole(b -> b.roleName("r"));
        assertThat(clock.slept()).isEqualTo(Duration.ofMillis(250));

        assertThat(iam.calls().counts()).containsEntry("GetRole", 3).containsEntry("ListRoles", 4).containsEntry("CreateRole", 1);
        assertThat(iam.calls().changing()).containsExactly("CreateRole");
    }

    /**
     * A real service answers concurrent requests in parallel, each after its own round trip. The injected
     * latency was slept under the fake's lock, so 16 concurrent calls took 16 round trips: the many-stacks
     * benchmark (20 ms per call) then spent 9 s planning 200 stacks, serialized in the fakes (issue 14).
     * The sleeper here waits until both calls are sleeping at once; with the lock held the second call never
     * gets there and the barrier times out (a bound, not a timing: it passes at once when calls overlap).
     */
    @Test
    void latencyOfConcurrentCallsOverlapsAsOnTheRealService() throws Exception {
        java.util.concurrent.CyclicBarrier bothSleeping = new java.util.concurrent.CyclicBarrier(2);
        FakeIam overlapping = FakeIam.builder().clock(clock).sleeper(d -> {
            try {
                bothSleeping.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other call never started its latency: calls are serialized", e);
            }
        }).build();
        overlapping.faults().latency(Duration.ofMillis(20));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> calls = List.of(
                    pool.submit(() -> overlapping.listRoles(b -> { })),
                    pool.submit(() -> overlapping.listOpenIDConnectProviders(b -> { })));
            for (java.util.concurrent.Future<?> call : calls) {
                call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlapping.calls().counts()).containsEntry("ListRoles", 1).containsEntry("ListOpenIDConnectProviders", 1);
    }
}
