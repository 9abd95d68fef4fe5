package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.ObservationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetRoleRequest;
import software.amazon.awssdk.services.iam.model.IamException;

/** {@link RunnerStacks#applyAll}: stacks are planned concurrently; one that cannot be planned does not stop the others. */
class ApplyAllPlanningTest {

    private static List<RunnerStack> devAndProd() {
        return StackFixture.seed().toBuilder()
                .environment("dev", e -> e.namespace("dev").tags("k8s-dev-runner").nodePool("dev"))
                .environment("prod", e -> e.namespace("prod").tags("k8s-prod-runner").nodePool("prod")
                        .roleName("eks-cluster-role-prod").releaseName("app-prod-runner"))
                .build().expand();
    }

    /** The fixture's Irsa, but its IAM client runs {@code beforeGetRole} (with the role name) before every GetRole. */
    private static RunnerStacks irsaWithIam(StackFixture world, BiConsumer<Integer, String> beforeGetRole) {
        AtomicInteger getRoles = new AtomicInteger();
        IamClient iam = (IamClient) Proxy.newProxyInstance(IamClient.class.getClassLoader(), new Class<?>[] {IamClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getRole") && args != null && args.length == 1) {
                        GetRoleRequest request = args[0] instanceof GetRoleRequest r ? r
                                : GetRoleRequest.builder().applyMutation(consumer(args[0])).build();
                        beforeGetRole.accept(getRoles.incrementAndGet(), request.roleName());
                    }
                    return invoke(method, world.iam, args);
                });
        AwsExecutor aws = AwsExecutor.builder().iam(iam).sts(world.sts).eks(world.eks).clock(world.clock)
                .sleeper(world.clock.sleeper()).build();
        return RunnerStacks.builder().irsa(i -> i.aws(aws).kubernetes(world.kubernetes).sts(world.sts)
                .sleeper(world.clock.sleeper()).clock(world.clock)
                .budget(ExecutionBudget.create(b -> b.maxConcurrency(4).clock(world.clock).sleeper(world.clock.sleeper())))
                .propagationTimeout(Duration.ofMinutes(2))).gitlab(world.gitlabExecutor).helm(world.helm).build();
    }

    @SuppressWarnings("unchecked")
    private static java.util.function.Consumer<GetRoleRequest.Builder> consumer(Object arg) {
        return (java.util.function.Consumer<GetRoleRequest.Builder>) arg;
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void stacksArePlannedConcurrentlyAndResultsKeepTheInputOrder() {
        List<RunnerStack> stacks = devAndProd();
        // The first two GetRole calls (one per stack's role observation) each wait until the other has started:
        // planned one after another, the first would wait in vain and the barrier would break.
        CyclicBarrier bothPlanning = new CyclicBarrier(2);
        try (StackFixture world = new StackFixture()) {
            RunnerStacks irsa = irsaWithIam(world, (n, role) -> {
                if (n <= 2) {
                    try {
                        bothPlanning.await(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the other stack was not being planned at the same time", e);
                    }
                }
            });

            List<ApplyResult> results = irsa.applyAll(List.of(stacks.get(1), stacks.get(0)), ApplyListener.NONE);

            assertThat(results).extracting(ApplyResult::stack).containsExactly(stacks.get(1).name(), stacks.get(0).name());
            results.forEach(ApplyResult::orThrow);
            assertThat(world.iam.roleNames()).containsExactlyInAnyOrder("eks-cluster-role", "eks-cluster-role-prod");
            assertThat(world.helm.releases()).hasSize(2);
        }
    }

    @Test
    void aStackThatCannotBePlannedIsReportedForItselfAndTheOthersAreApplied() {
        List<RunnerStack> stacks = devAndProd();
        try (StackFixture world = new StackFixture()) {
            RunnerStacks irsa = irsaWithIam(world, (n, role) -> {
                if (role.equals("eks-cluster-role-prod")) {
                    throw IamException.builder().statusCode(403).message("not authorized to perform iam:GetRole")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").serviceName("Iam")
                                    .errorMessage("not authorized to perform iam:GetRole").build())
                            .build();
                }
            });

            List<ApplyResult> results = irsa.applyAll(List.of(stacks.get(1), stacks.get(0)), ApplyListener.NONE);

            assertThat(results).extracting(ApplyResult::stack).containsExactly(stacks.get(1).name(), stacks.get(0).name());
            ApplyResult prod = results.get(0);
            assertThat(prod.succeeded()).isFalse();
            assertThat(prod.outcomes()).isEmpty();
            assertThat(prod.planFailure()).get().isInstanceOf(ObservationException.class);
            assertThat(prod.summary()).startsWith("not applied: could not plan: ").contains("AccessDenied");
            assertThatThrownBy(prod::orThrow).isInstanceOf(ObservationException.class);

            ApplyResult dev = results.get(1);
            dev.orThrow();
            assertThat(dev.planFailure()).isEmpty();
            assertThat(world.iam.roleNames()).containsExactly("eks-cluster-role");
            assertThat(world.helm.releases()).hasSize(1);
            assertThat(world.gitlab.runners()).hasSize(1);
        }
    }
}
