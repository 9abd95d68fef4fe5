package dev.irsa.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.Irsa;
import dev.irsa.ValidationException;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ChangeOutcome.Status;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ResourceId;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamEffect;

/**
 * Many role bindings as one plan through irsa-core's {@link Irsa} facade: what they share (their cluster's OIDC
 * provider, a namespace) is observed once and changed once, destroy deletes the provider once after the last role
 * trusting it, and the remote calls per binding do not grow with the number of bindings.
 */
class ManyBindingsTest {
    static final PermissionsPolicy READ = PermissionsPolicy.builder()
            .addStatement(s -> s.effect(IamEffect.ALLOW).addAction("s3:GetObject").addResource("arn:aws:s3:::artifacts/*"))
            .build();

    static Irsa irsa(IrsaSandbox sandbox) {
        return Irsa.builder().aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor()).sts(sandbox.sts())
                .clock(sandbox.clock()).sleeper(sandbox.sleeper())
                .budget(ExecutionBudget.create(b -> b.clock(sandbox.clock()).sleeper(sandbox.sleeper())))
                .build();
    }

    /** Binding {@code i}: its own role and service account in namespace {@code ci}, the cluster's provider owned by "ci". */
    static RoleBinding binding(IrsaSandbox sandbox, int i) {
        return RoleBinding.of(b -> b.name("job-" + i).providerOwner("ci")
                .cluster(ClusterRef.eks(sandbox.clusterName(), sandbox.region()))
                .serviceAccount("ci", "job-" + i)
                .role(r -> r.name("ci-job-" + i).inlinePolicy("read", READ)));
    }

    static List<RoleBinding> bindings(IrsaSandbox sandbox, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> binding(sandbox, i)).toList();
    }

    @Test
    void manyBindingsAreOnePlanInWhichTheSharedProviderAndNamespaceAreChangedOnce() {
        try (IrsaSandbox sandbox = IrsaSandbox.start()) {
            Irsa irsa = irsa(sandbox);
            List<RoleBinding> all = bindings(sandbox, 3);

            Plan plan = irsa.planAll(all);
            assertThat(plan.changes()).extracting(c -> c.id().type())
                    .containsOnlyOnce("iam.oidc-provider", "kubernetes.namespace");
            assertThat(plan.changes()).filteredOn(c -> c.id().type().equals("iam.role")).hasSize(3);
            assertThat(plan.stack()).isEqualTo("ci");

            int lookups = sandbox.calls().count(Service.EKS, "DescribeCluster");
            irsa.applyAll(all).orThrow();
            assertThat(sandbox.calls().count(Service.IAM, "CreateOpenIDConnectProvider")).isEqualTo(1);
            assertThat(sandbox.calls().count(Service.EKS, "DescribeCluster") - lookups).as("one cluster lookup for all bindings").isEqualTo(1);
            assertThat(sandbox.resources().oidcProviders()).singleElement().satisfies(p -> assertThat(p.clientIds()).containsExactly("sts.amazonaws.com"));
            all.forEach(b -> assertThat(sandbox.resources().serviceAccount("ci", b.serviceAccount().orElseThrow().name()))
                    .hasValueSatisfying(sa -> assertThat(sa.roleArn()).hasValue(b.roleArn(sandbox.accountId(), "aws"))));
            assertThat(irsa.planAll(all).hasChanges()).isFalse();
            int lookupsBeforeVerify = sandbox.calls().count(Service.EKS, "DescribeCluster");
            assertThat(irsa.verifyAll(all)).allSatisfy(r -> assertThat(r.passed()).as(r.render()).isTrue());
            assertThat(sandbox.calls().count(Service.EKS, "DescribeCluster") - lookupsBeforeVerify).as("verify looks the cluster up once")
                    .isEqualTo(1);

            ApplyResult destroyed = irsa.destroyAll(all).orThrow();
            assertThat(sandbox.calls().count(Service.IAM, "ListRoles")).as("one look for trusting roles").isEqualTo(1);
            assertThat(sandbox.calls().count(Service.IAM, "DeleteOpenIDConnectProvider")).isEqualTo(1);
            assertThat(destroyed.outcome(ResourceId.of("kubernetes.namespace", "ci"))).hasValueSatisfying(o ->
                    assertThat(o.status()).as("the others' service accounts went first: nothing keeps it").isEqualTo(Status.DELETED));
            assertThat(sandbox.resources().roles()).isEmpty();
            assertThat(sandbox.resources().oidcProviders()).isEmpty();
        }
    }

    @Test
    void theProviderOfRolesOutsideThePlanIsKept() {
        try (IrsaSandbox sandbox = IrsaSandbox.start()) {
            Irsa irsa = irsa(sandbox);
            List<RoleBinding> all = bindings(sandbox, 3);
            irsa.applyAll(all).orThrow();

            ApplyResult destroyed = irsa.destroyIamAll(all.subList(0, 2), dev.irsa.plan.ApplyListener.NONE).orThrow();

            assertThat(destroyed.count(Status.KEPT)).isEqualTo(1);
            assertThat(sandbox.resources().roles()).extracting(dev.irsa.testing.SandboxResources.Role::name).containsExactly("ci-job-3");
            assertThat(sandbox.resources().oidcProviders()).hasSize(1);
        }
    }

    /**
     * The calls of a phase are {@code fixed + perBinding x N}, the same per binding at N = 10 as at N = 100 (and at
     * N = 1): measured on the sandbox, every remote call counted (AWS, Kubernetes, the stack lock's Leases).
     */
    @Test
    void callsPerBindingAreTheSameForTenAndAHundredBindings() {
        int[] sizes = {1, 10, 100};
        List<int[]> phases = new ArrayList<>();    // per size: apply, no-op plan, destroy
        for (int n : sizes) {
            try (IrsaSandbox sandbox = IrsaSandbox.start()) {
                Irsa irsa = irsa(sandbox);
                List<RoleBinding> all = bindings(sandbox, n);
                Function<Runnable, Integer> count = run -> {
                    int before = sandbox.calls().all().size();
                    run.run();
                    return sandbox.calls().all().size() - before;
                };
                int apply = count.apply(() -> irsa.applyAll(all).orThrow());
                int noop = count.apply(() -> assertThat(irsa.planAll(all).hasChanges()).isFalse());
                int destroy = count.apply(() -> irsa.destroyAll(all).orThrow());
                phases.add(new int[] {apply, noop, destroy});
            }
        }
        String[] names = {"apply", "no-op plan", "destroy"};
        for (int p = 0; p < names.length; p++) {
            System.out.println("[many bindings] " + names[p] + ": " + phases.get(0)[p] + " calls at N = 1, " + phases.get(1)[p]
                    + " at N = 10, " + phases.get(2)[p] + " at N = 100 (" + (phases.get(2)[p] - phases.get(0)[p]) / 99 + " per binding)");
        }
        for (int p = 0; p < names.length; p++) {
            int one = phases.get(0)[p];
            int perBindingAtTen = (phases.get(1)[p] - one) / 9;
            int perBindingAtHundred = (phases.get(2)[p] - one) / 99;
            assertThat((phases.get(1)[p] - one) % 9).as(names[p] + ": linear in N up to 10").isZero();
            assertThat((phases.get(2)[p] - one) % 99).as(names[p] + ": linear in N up to 100").isZero();
            assertThat(perBindingAtHundred).as(names[p] + " calls per binding, N = 100 vs N = 10 (N=1: " + one + ")")
                    .isEqualTo(perBindingAtTen);
        }
    }

    @Test
    void bindingsThatCannotBeOnePlanAreRefusedBeforeAnyCall() {
        try (IrsaSandbox sandbox = IrsaSandbox.start()) {
            Irsa irsa = irsa(sandbox);
            RoleBinding one = binding(sandbox, 1);
            RoleBinding otherOwner = binding(sandbox, 2).toBuilder().providerOwner("team-b").build();
            RoleBinding sameRole = binding(sandbox, 3).toBuilder().role(one.role()).build();
            RoleBinding sameName = binding(sandbox, 4).toBuilder().name("job-1").build();
            RoleBinding sameAccount = binding(sandbox, 5).toBuilder().serviceAccount(one.serviceAccount().orElseThrow()).build();
            int before = sandbox.calls().all().size();

            assertThatThrownBy(() -> irsa.applyAll(List.of(one, otherOwner))).isInstanceOfSatisfying(ValidationException.class, e -> {
                assertThat(e.field()).isEqualTo("binding job-2.providerOwner");
                assertThat(e.getMessage()).contains("team-b").contains("providerOwner(\"ci\")");
            });
            assertThatThrownBy(() -> irsa.planAll(List.of(one, sameRole))).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("bindings[1].role.name"));
            assertThatThrownBy(() -> irsa.destroyAll(List.of(one, sameName))).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("bindings[1].name"));
            assertThatThrownBy(() -> irsa.applyAll(List.of(one, sameAccount))).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("bindings[1].serviceAccount"));
            assertThatThrownBy(() -> irsa.applyAll(List.of())).isInstanceOf(ValidationException.class);

            assertThat(sandbox.calls().all()).hasSize(before);
        }
    }

    @Test
    void adoptIsHonouredForEveryBindingOfAPlan() {
        try (IrsaSandbox sandbox = IrsaSandbox.start()) {
            Irsa irsa = irsa(sandbox);
            sandbox.kubernetesClient().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName("ci").endMetadata().build()).create();
            sandbox.kubernetesClient().serviceAccounts().inNamespace("ci").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName("job-2").endMetadata().build()).create();
            RoleBinding adopting = binding(sandbox, 2).toBuilder().serviceAccount(sa -> sa.namespace("ci").name("job-2").adopt(true)).build();
            List<RoleBinding> all = List.of(binding(sandbox, 1), adopting);

            Plan plan = irsa.planAll(all);
            assertThat(plan.change(adopting.serviceAccountResourceId().orElseThrow())).hasValueSatisfying(c -> {
                assertThat(c.action()).isEqualTo(Action.UPDATE);
                assertThat(c.adopt()).isTrue();
            });
            // the same without the facade: RoleBinding.plan with a plain planner adopts it too
            assertThat(adopting.plan(dev.irsa.plan.Planner.create(), irsa.bindingBackends())
                    .change(adopting.serviceAccountResourceId().orElseThrow())).hasValueSatisfying(c -> assertThat(c.adopt()).isTrue());
            irsa.applyAll(all).orThrow();
            assertThat(sandbox.resources().serviceAccount("ci", "job-2")).hasValueSatisfying(sa ->
                    assertThat(sa.labels()).containsEntry("irsa.dev/stack", "job-2"));
        }
    }
}
