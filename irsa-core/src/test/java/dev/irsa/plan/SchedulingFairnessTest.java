package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many stacks applied together, one service's changes waiting (as for an IAM write limit's next token):
 * the other services' ready changes still get slots (issue 14: 200 stacks under an IAM write limit of 10/s
 * took 45 s against a bound of 39 s, their Kubernetes changes all queued behind the roles' token waits).
 *
 * <p>A role's change here blocks on its own gate until the test opens it: a wait of any length, without
 * sleeping or timing. Before the fix the applier handed every ready change to its pool at once, in stack
 * order (all roles, then all namespaces), so with two slots held by waiting roles no namespace ever ran and
 * the first await below failed.
 */
class SchedulingFairnessTest {
    private static final int STACKS = 6;

    private final ToyCloud cloud = new ToyCloud();
    private final FakeClock clock = new FakeClock();
    private final ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(2).clock(clock)
            .sleeper(clock.sleeper()).writeRateLimit("iam", RateLimit.perSecond(10)));

    @Test
    void changesOfOtherServicesRunWhileTheRolesWaitAndADependentRunsAsSoonAsItsRoleIsDone() throws Exception {
        List<CountDownLatch> roleGates = new ArrayList<>();
        CountDownLatch namespacesCreated = new CountDownLatch(STACKS);
        CountDownLatch firstAccountCreated = new CountDownLatch(1);
        List<Plan> plans = new ArrayList<>();
        Planner planner = Planner.create(p -> p.budget(budget));
        for (int i = 0; i < STACKS; i++) {
            String stack = "s" + i;
            CountDownLatch gate = new CountDownLatch(1);
            roleGates.add(gate);
            ToyResource role = new ToyResource(cloud, stack, "toy.role", stack + "-role", "iam")
                    .duringCall(r -> await(gate));
            ToyResource namespace = new ToyResource(cloud, stack, "toy.namespace", stack, "kubernetes")
                    .duringCall(r -> namespacesCreated.countDown());
            ToyResource account = new ToyResource(cloud, stack, "toy.service-account", stack + "/app", "kubernetes")
                    .arnOf("roleArn", role).dependsOn(namespace.id())
                    .duringCall(r -> {
                        if (r.key().equals("toy.service-account/s0/app")) {
                            firstAccountCreated.countDown();
                        }
                    });
            plans.add(planner.plan(stack, List.of(role, namespace, account)));
        }
        Applier applier = Applier.create(a -> a.budget(budget));

        CompletableFuture<List<ApplyResult>> applying = CompletableFuture.supplyAsync(() -> applier.applyAll(plans));
        try {
            assertThat(namespacesCreated.await(30, TimeUnit.SECONDS))
                    .as("every namespace created while the roles hold their slots waiting").isTrue();

            roleGates.get(0).countDown();
            assertThat(firstAccountCreated.await(30, TimeUnit.SECONDS))
                    .as("s0's service account created once its role is done, before the roles queued earlier").isTrue();
            assertThat(cloud.get("toy.role/s5-role")).as("s5's role still waiting").isNull();
        } finally {
            roleGates.forEach(CountDownLatch::countDown);
        }

        List<ApplyResult> results = applying.get(30, TimeUnit.SECONDS);
        assertThat(results).extracting(ApplyResult::summary).containsOnly("3 created, 0 updated, 0 deleted, 0 unchanged");
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
