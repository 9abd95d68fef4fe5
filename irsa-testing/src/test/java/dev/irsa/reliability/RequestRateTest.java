package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.RateLimit;
import dev.irsa.plan.Services;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.aws.ManualClock;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The walkthrough binding's IAM part through irsa's real executors, with IAM metered per request
 * ({@link ExecutionBudget#meterRequests}) as {@code AwsClients.builder().budget(budget)} does for SDK clients:
 * every request the fake IAM receives, the executor's retries of throttled ones included, took a token, and
 * their instants on the manual clock keep the bound {@link RateLimit} states.
 */
class RequestRateTest {

    @Test
    void everyIamRequestTakesATokenThrottledRetriesIncludedAndTheBoundHolds() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T12:00:00Z"));
        FakeOidcIssuer issuer = FakeOidcIssuer.eks(Sandbox.REGION, clock);
        FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).accountId(Sandbox.ACCOUNT).seed(7).build();
        FakeSts sts = FakeSts.builder(iam).clock(clock).sleeper(clock.sleeper()).issuer(issuer).seed(7).build();
        FakeEks eks = FakeEks.builder().clock(clock).sleeper(clock.sleeper()).region(Sandbox.REGION).accountId(Sandbox.ACCOUNT)
                .seed(7).build();
        eks.addCluster(Sandbox.CLUSTER, issuer);
        RateLimit limit = RateLimit.perSecond(2);
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(4).clock(clock).sleeper(clock.sleeper())
                .rateLimit(Services.IAM, limit));
        List<Instant> sent = Collections.synchronizedList(new ArrayList<>());
        IamClient meteredIam = metered(iam, budget.meterRequests(Services.IAM), () -> sent.add(clock.instant()));
        iam.faults().throttle("CreateRole", 2).throttle("PutRolePolicy", 1);
        AwsExecutor aws = AwsExecutor.builder().iam(meteredIam).sts(sts).eks(eks).clock(clock).sleeper(clock.sleeper()).build();
        BindingBackends backends = BindingBackends.builder().aws(aws).sts(sts).clock(clock).sleeper(clock.sleeper()).build();
        RoleBinding binding = Sandbox.walkthrough();

        Plan plan = Planner.create(p -> p.budget(budget)).plan(binding.name(), binding.iamResources(backends));
        ApplyResult result = Applier.create(a -> a.budget(budget)).apply(plan);

        result.orThrow();
        assertThat(iam.roleNames()).containsExactly("eks-cluster-role");
        assertThat(iam.calls().count("CreateRole")).as("two throttled, then created").isEqualTo(3);
        assertThat(iam.calls().count("PutRolePolicy")).isEqualTo(2);
        // One token per request the fake received (paginated lists page by page, retries each time).
        assertThat(sent).hasSize(iam.calls().all().size()).hasSizeGreaterThan(2 * limit.permits());
        assertWithinBound(sent, limit);
    }

    /** An IAM client that takes a token, then notes the instant, before every request (one per page of a paginator). */
    private static IamClient metered(IamClient target, ExecutionBudget.RequestMeter meter, Runnable sent) {
        InvocationHandler handler = (proxy, method, args) -> {
            boolean request = args != null && args.length == 1 && args[0] instanceof SdkRequest;
            if (!request && method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (request) {
                meter.beforeRequest();
                sent.run();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (IamClient) Proxy.newProxyInstance(IamClient.class.getClassLoader(), new Class<?>[] {IamClient.class}, handler);
    }

    /** Over any window [t_i, t_j] (ends included): j - i + 1 requests <= permits + (t_j - t_i) * permits / per. */
    private static void assertWithinBound(List<Instant> instants, RateLimit limit) {
        List<Instant> sorted = new ArrayList<>(instants);
        Collections.sort(sorted);
        long perNanos = limit.per().toNanos();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i; j < sorted.size(); j++) {
                long span = Duration.between(sorted.get(i), sorted.get(j)).toNanos();
                assertThat((long) (j - i + 1 - limit.permits()) * perNanos)
                        .as("requests %d..%d at %s..%s", i, j, sorted.get(i), sorted.get(j))
                        .isLessThanOrEqualTo(span * limit.permits());
            }
        }
    }
}
