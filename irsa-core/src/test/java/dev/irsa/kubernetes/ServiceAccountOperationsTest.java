package dev.irsa.kubernetes;

import dev.irsa.ValidationException;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ServiceAccountOperationsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/ci/gitlab-jobs";
    private static final String SA_PATH = "/api/v1/namespaces/gitlab-runner/serviceaccounts/ci-jobs";

    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = k8s.executor();

    @AfterEach
    void close() {
        k8s.close();
    }

    private static ServiceAccountBinding.Builder binding() {
        return ServiceAccountBinding.builder().namespace("gitlab-runner").name("ci-jobs").stack("demo").roleArn(ROLE);
    }

    private ServiceAccount live() {
        return k8s.client.serviceAccounts().inNamespace("gitlab-runner").withName("ci-jobs").get();
    }

    private void createForeign(Map<String, String> annotations) {
        k8s.client.serviceAccounts().inNamespace("gitlab-runner").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("ci-jobs").withAnnotations(annotations).addToLabels("team", "data").endMetadata()
                .build()).create();
    }

    @Test
    void createsTheAccountWithAnnotationsLabelsAndOrigin() {
        Change change = executor.ensureServiceAccount(binding().stsRegionalEndpoints(true).build());

        assertThat(change.action()).isEqualTo(Change.Action.CREATED);
        ServiceAccount sa = live();
        assertThat(sa.getMetadata().getAnnotations()).containsOnly(
                entry("eks.amazonaws.com/role-arn", ROLE),
                entry("eks.amazonaws.com/sts-regional-endpoints", "true"),
                entry("irsa.dev/origin", "created"));
        assertThat(sa.getMetadata().getLabels()).containsOnly(
                entry("app.kubernetes.io/managed-by", "irsa"), entry("irsa.dev/stack", "demo"));
        assertThat(executor.observeServiceAccount(binding().stsRegionalEndpoints(true).build()))
                .satisfies(o -> {
                    assertThat(o.ownership()).isEqualTo(Ownership.CREATED_BY_STACK);
                    assertThat(o.inSync()).isTrue();
                });
    }

    @Test
    void reapplyMakesNoChangingCall() {
        ServiceAccountBinding b = binding().audience("sts.amazonaws.com").tokenExpiration(Duration.ofHours(24)).build();
        executor.ensureServiceAccount(b);
        k8s.takeRequests();

        Change again = executor.ensureServiceAccount(b);

        assertThat(again.action()).isEqualTo(Change.Action.UNCHANGED);
        assertThat(again.isMutation()).isFalse();
        assertThat(k8s.takeRequests()).containsExactly("GET " + SA_PATH);
    }

    @Test
    void observeShowsDriftAndEnsurePatchesOnlyWhatDiffers() {
        ServiceAccountBinding b = binding().build();
        executor.ensureServiceAccount(b);
        // Someone else re-points the role and drops the stack label.
        k8s.client.serviceAccounts().inNamespace("gitlab-runner").withName("ci-jobs").edit(sa -> new ServiceAccountBuilder(sa)
                .editMetadata().addToAnnotations("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/other")
                .addToAnnotations("eks.amazonaws.com/audience", "other").endMetadata().build());

        ServiceAccountObservation observed = executor.observeServiceAccount(b);
        assertThat(observed.inSync()).isFalse();
        assertThat(observed.drift()).containsExactlyInAnyOrder(
                new Drift("metadata.annotations[eks.amazonaws.com/role-arn]", ROLE, "arn:aws:iam::123456789012:role/other"),
                new Drift("metadata.annotations[eks.amazonaws.com/audience]", null, "other"));
        k8s.takeRequests();

        Change fixed = executor.ensureServiceAccount(b);

        assertThat(fixed.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(fixed.details()).hasSize(2);
        var patches = k8s.takeRecorded().stream().filter(r -> !r.method().equals("GET")).toList();
        assertThat(patches).extracting(CrudServer.Seen::method).containsExactly("PATCH");
        var patch = patches.get(0);
        assertThat(patch.contentType()).startsWith("application/json-patch+json");
        String body = patch.body();
        assertThat(body).contains("{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\"")
                .contains("{\"op\":\"remove\",\"path\":\"/metadata/annotations/eks.amazonaws.com~1audience\"}")
                .contains("{\"op\":\"add\",\"path\":\"/metadata/annotations/eks.amazonaws.com~1role-arn\",\"value\":\"" + ROLE + "\"}")
                .doesNotContain("irsa.dev/stack");
        assertThat(live().getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE)
                .doesNotContainKey("eks.amazonaws.com/audience");
        assertThat(executor.observeServiceAccount(b).inSync()).isTrue();
    }

    @Test
    void refusesToTakeOverAnUnlabelledAccount() {
        createForeign(Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/theirs"));
        k8s.takeRequests();

        assertThatThrownBy(() -> executor.ensureServiceAccount(binding().build()))
                .isInstanceOfSatisfying(KubernetesOwnershipException.class, e -> {
                    assertThat(e.target()).isEqualTo("ServiceAccount gitlab-runner/ci-jobs");
                    assertThat(e.getMessage()).contains("adopt(true)");
                });

        assertThat(CrudServer.writes(k8s.takeRequests())).isEmpty();
        assertThat(live().getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/theirs");
        assertThat(executor.observeServiceAccount(binding().build()).ownership()).isEqualTo(Ownership.FOREIGN);
    }

    @Test
    void refusesAnAccountOfAnotherStack() {
        executor.ensureServiceAccount(binding().stack("other").build());
        assertThatThrownBy(() -> executor.ensureServiceAccount(binding().build()))
                .isInstanceOf(KubernetesOwnershipException.class).hasMessageContaining("stack 'other'");
    }

    @Test
    void adoptsOnRequestAndRemovingTheBindingKeepsTheAccount() {
        createForeign(Map.of("owner", "data-team"));

        Change adopted = executor.ensureServiceAccount(binding().adopt(true).build());

        assertThat(adopted.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(live().getMetadata().getAnnotations()).containsEntry("irsa.dev/origin", "adopted")
                .containsEntry("eks.amazonaws.com/role-arn", ROLE).containsEntry("owner", "data-team");
        assertThat(executor.observeServiceAccount(binding().build()).ownership()).isEqualTo(Ownership.ADOPTED_BY_STACK);
        assertThat(executor.ensureServiceAccount(binding().build()).action()).isEqualTo(Change.Action.UNCHANGED);

        Change removed = executor.removeServiceAccountBinding("gitlab-runner", "ci-jobs", "demo");

        assertThat(removed.action()).isEqualTo(Change.Action.UPDATED);
        ServiceAccount sa = live();
        assertThat(sa).isNotNull();
        assertThat(sa.getMetadata().getAnnotations()).containsOnly(entry("owner", "data-team"));
        assertThat(sa.getMetadata().getLabels()).containsOnly(entry("team", "data"));
    }

    @Test
    void removingACreatedBindingDeletesTheAccountAndAgainIsSuccess() {
        executor.ensureServiceAccount(binding().build());

        assertThat(executor.removeServiceAccountBinding("gitlab-runner", "ci-jobs", "demo").action()).isEqualTo(Change.Action.DELETED);
        assertThat(live()).isNull();
        assertThat(executor.removeServiceAccountBinding("gitlab-runner", "ci-jobs", "demo").action()).isEqualTo(Change.Action.ALREADY_ABSENT);
    }

    @Test
    void removingLeavesForeignAndOtherStackAccountsAlone() {
        createForeign(Map.of());
        Change c = executor.removeServiceAccountBinding("gitlab-runner", "ci-jobs", "demo");
        assertThat(c.action()).isEqualTo(Change.Action.KEPT);
        assertThat(live()).isNotNull();
    }

    @Test
    void retriesAResourceVersionConflictAndThenSucceeds() {
        executor.ensureServiceAccount(binding().build());
        k8s.server.expect().patch().withPath(SA_PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object has been modified").build())
                .once();
        k8s.takeRequests();

        Change c = executor.ensureServiceAccount(binding().audience("sts.amazonaws.com").build());

        assertThat(c.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(CrudServer.writes(k8s.takeRequests())).containsExactly("PATCH " + SA_PATH, "PATCH " + SA_PATH);
        assertThat(k8s.sleeps).containsExactly(Duration.ofMillis(200));
        assertThat(live().getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/audience", "sts.amazonaws.com");
    }

    @Test
    void aConcurrentWriterCausesARealConflictAndTheRetryKeepsTheirChange() {
        executor.ensureServiceAccount(binding().build());
        k8s.concurrentWriteBeforeNextWrite(SA_PATH, "{\"metadata\":{\"annotations\":{\"team\":\"data\"}}}");
        k8s.takeRequests();

        Change c = executor.ensureServiceAccount(binding().audience("sts.amazonaws.com").build());

        assertThat(c.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(CrudServer.writes(k8s.takeRequests())).containsExactly("PATCH " + SA_PATH, "PATCH " + SA_PATH);
        assertThat(k8s.sleeps).containsExactly(Duration.ofMillis(200));
        assertThat(live().getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/audience", "sts.amazonaws.com")
                .containsEntry("team", "data");
    }

    @Test
    void theMockServerItselfRejectsAPatchFromAStaleResourceVersion() {
        // Proves the resourceVersion carried in irsa's merge patches is what makes a concurrent change a 409.
        executor.ensureServiceAccount(binding().build());
        String stale = live().getMetadata().getResourceVersion();
        executor.ensureServiceAccount(binding().audience("a").build());
        assertThatThrownBy(() -> k8s.client.serviceAccounts().inNamespace("gitlab-runner").withName("ci-jobs")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"resourceVersion\":\"" + stale + "\",\"annotations\":{\"x\":\"y\"}}}"))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void givesUpAfterTheRetryBudgetWithATypedError() {
        executor.ensureServiceAccount(binding().build());
        k8s.server.expect().patch().withPath(SA_PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").build()).times(5);

        assertThatThrownBy(() -> executor.ensureServiceAccount(binding().audience("sts.amazonaws.com").build()))
                .isInstanceOf(KubernetesConflictException.class).hasMessageContaining("5 attempts");
        assertThat(k8s.sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600));
    }

    @Test
    void otherHttpErrorsBecomeIrsaExceptionsNamingTheObject() {
        k8s.server.expect().get().withPath(SA_PATH).andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build()).once();
        assertThatThrownBy(() -> executor.ensureServiceAccount(binding().build()))
                .isInstanceOf(dev.irsa.IrsaException.class)
                .hasMessageContaining("ServiceAccount gitlab-runner/ci-jobs").hasMessageContaining("HTTP 403");
    }

    @Test
    void badInputFailsBeforeAnyRequest() {
        int before = k8s.server.getRequestCount();
        assertThatThrownBy(() -> executor.removeServiceAccountBinding("gitlab-runner", "Bad_Name", "demo")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> executor.removeServiceAccountBinding("gitlab-runner", "ci-jobs", "")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> executor.checkCredentialInjection("NS", "ci-jobs")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> executor.ensureServiceAccount(binding().roleArn("arn:aws:iam::1:role/x").build())).isInstanceOf(ValidationException.class);
        assertThat(k8s.server.getRequestCount()).isEqualTo(before);
    }
}
