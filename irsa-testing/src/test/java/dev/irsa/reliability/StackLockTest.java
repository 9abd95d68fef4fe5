package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.StackLockedException;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Change;
import dev.irsa.plan.ChangeOutcome;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The stack lock: two {@code RunnerStacks.apply} runs of one stack at the same time are serialised through a
 * Kubernetes Lease, so the second plans after the first has finished and changes nothing; a live foreign
 * lease makes apply fail before any change, naming the holder; a lease whose holder stopped renewing it is
 * taken over. Threads are coordinated with latches (no timing), waits go through injected sleepers.
 */
class StackLockTest {
    private static final String LEASE = "irsa-lock-" + Sandbox.STACK;

    @Test
    void aSecondApplyWaitsForTheFirstAndThenChangesNothing() throws Exception {
        try (Sandbox sb = new Sandbox(true)) {
            CountDownLatch firstInside = new CountDownLatch(1);
            CountDownLatch secondWaiting = new CountDownLatch(1);
            CountDownLatch firstDone = new CountDownLatch(1);
            AtomicInteger secondPolls = new AtomicInteger();
            // The second run's executor: its lock wait blocks until the first run has returned.
            KubernetesExecutor waitingK8s = KubernetesExecutor.builder().client(sb.k8sClient).clock(sb.clock)
                    .sleeper(d -> {
                        secondPolls.incrementAndGet();
                        secondWaiting.countDown();
                        await(firstDone);
                        sb.clock.advance(d);
                    }).build();
            RunnerStacks second = sb.irsaBuilder(waitingK8s).build();
            ApplyListener pauseAfterFirstChange = new ApplyListener() {
                @Override
                public void finished(ChangeOutcome outcome) {
                    if (firstInside.getCount() > 0) {
                        firstInside.countDown();
                        await(secondWaiting);
                    }
                }
            };
            CompletableFuture<ApplyResult> firstRun = CompletableFuture.supplyAsync(() -> {
                try {
                    return sb.irsa.apply(sb.stack(), pauseAfterFirstChange);
                } finally {
                    firstDone.countDown();
                }
            });
            await(firstInside);
            CompletableFuture<ApplyResult> secondRun = CompletableFuture.supplyAsync(() -> second.apply(sb.stack()));
            ApplyResult first = firstRun.get(60, TimeUnit.SECONDS);
            ApplyResult afterwards = secondRun.get(60, TimeUnit.SECONDS);

            assertThat(first.succeeded()).as(first.summary()).isTrue();
            assertThat(first.summary()).startsWith("8 created");
            assertThat(secondPolls.get()).as("the second run waited for the lock").isPositive();
            assertThat(afterwards.summary()).isEqualTo("0 created, 0 updated, 0 deleted, 8 unchanged");
            assertThat(sb.gitlab.runners()).hasSize(1);
            assertThat(lease(sb)).as("both runs released the lock").isNull();
        }
    }

    @Test
    void aLiveLeaseOfAnotherRunFailsTheApplyBeforeAnyChange() {
        try (Sandbox sb = new Sandbox(true)) {
            Map<String, String> empty = sb.snapshot();
            putLease(sb, "irsa@ci-runner-7:4242/abcd1234", Duration.ZERO);
            RunnerStacks impatient = sb.irsaBuilder(sb.coreBuilder(sb.k8s).stackLock(l -> l.waitFor(Duration.ofMinutes(1))).build()).build();
            int before = sb.remoteCalls();

            assertThatThrownBy(() -> impatient.apply(sb.stack()))
                    .isInstanceOf(StackLockedException.class)
                    .hasMessageContaining("stack seed is locked by irsa@ci-runner-7:4242/abcd1234")
                    .hasMessageContaining("default/" + LEASE)
                    .satisfies(e -> assertThat(((StackLockedException) e).holder()).isEqualTo("irsa@ci-runner-7:4242/abcd1234"));
            assertThat(sb.snapshot()).isEqualTo(empty);
            assertThat(sb.gitlab.runners()).isEmpty();
            assertThat(sb.helm.calls()).isEmpty();
            assertThat(sb.faults.log()).as("only the Lease was read, no AWS call")
                    .allMatch(c -> c.startsWith("kubernetes ") && c.contains("/leases"));
            assertThat(sb.remoteCalls() - before).isPositive();
            assertThat(lease(sb).getSpec().getHolderIdentity()).as("the other run's lease is untouched")
                    .isEqualTo("irsa@ci-runner-7:4242/abcd1234");
        }
    }

    @Test
    void aLeaseWhoseHolderStoppedRenewingIsTakenOver() {
        try (Sandbox sb = new Sandbox(true)) {
            putLease(sb, "irsa@crashed:1/deadbeef", Duration.ofMinutes(11));   // renewed 11 min ago, TTL 10 min
            ApplyResult r = sb.apply(sb.stack());
            assertThat(r.succeeded()).as(r.summary()).isTrue();
            assertThat(lease(sb)).isNull();
        }
    }

    @Test
    void aRunWaitsOutALeaseItsHolderStopsRenewing() {
        try (Sandbox sb = new Sandbox(true)) {
            putLease(sb, "irsa@crashed:1/deadbeef", Duration.ZERO);   // live now; the default wait (11 min) outlasts its TTL
            ApplyResult r = sb.apply(sb.stack());
            assertThat(r.succeeded()).as(r.summary()).isTrue();
            assertThat(sb.clock.slept()).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
            assertThat(lease(sb)).isNull();
        }
    }

    @Test
    void destroyTakesTheLockToo() {
        try (Sandbox sb = new Sandbox(true)) {
            sb.apply(sb.stack()).orThrow();
            putLease(sb, "irsa@ci-runner-7:4242/abcd1234", Duration.ZERO);
            RunnerStacks impatient = sb.irsaBuilder(sb.coreBuilder(sb.k8s).stackLock(l -> l.waitFor(Duration.ZERO)).build()).build();
            Map<String, String> applied = sb.snapshot();
            assertThatThrownBy(() -> impatient.destroy(sb.stack())).isInstanceOf(StackLockedException.class);
            assertThat(sb.snapshot()).isEqualTo(applied);
        }
    }

    @Test
    void withoutTheLockNoLeaseIsTouched() {
        try (Sandbox sb = new Sandbox(true)) {
            putLease(sb, "irsa@ci-runner-7:4242/abcd1234", Duration.ZERO);
            RunnerStacks unlocked = sb.irsaBuilder(sb.coreBuilder(sb.k8s).stackLock(dev.irsa.StackLock.disabled()).build()).build();
            assertThat(unlocked.apply(sb.stack()).succeeded()).isTrue();
            assertThat(lease(sb).getSpec().getHolderIdentity()).isEqualTo("irsa@ci-runner-7:4242/abcd1234");
        }
    }

    @Test
    void aChangeThatFindsItsPlanStaleMakesTheFacadePlanAgain() {
        try (Sandbox sb = new Sandbox(true);
             GitLabExecutor other = new GitLabExecutor(GitLabConnection.builder().url(sb.gitlab.url())
                     .accessToken(SecretString.of(sb.gitlabToken)).build())) {
            // A run without the lock registers the stack's runner between this run's plan and its runner change
            // (recording its registration first, as irsa does).
            AtomicLong intruder = new AtomicLong();
            ApplyListener registerAnotherRunner = new ApplyListener() {
                @Override
                public void started(String stack, Change change, Instant at) {
                    if (change.id().type().equals("gitlab.runner") && intruder.get() == 0) {
                        String registration = RunnerSpec.newRegistration();
                        sb.k8s.recordOnRunnerSecret("dev", "gitlab-runner-token", Sandbox.STACK,
                                java.util.Map.of(dev.irsa.kubernetes.IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION, registration));
                        intruder.set(other.createRunner(RunnerSpec.builder().stack(Sandbox.STACK).name("runner")
                                .projectId(sb.projectId).tags("k8s-dev-runner").build(), registration, token -> { }).id());
                    }
                }
            };

            ApplyResult result = sb.irsa.apply(sb.stack(), registerAnotherRunner);

            assertThat(intruder.get()).isPositive();
            assertThat(result.succeeded()).as(result.summary()).isTrue();
            // The second plan saw the other runner (its token held nowhere), replaced it and registered one.
            assertThat(sb.gitlab.runners()).hasSize(1).allMatch(r -> r.id() != intruder.get());
            assertThat(sb.gitlab.calls()).anyMatch(c -> c.method().equals("DELETE") && c.path().equals("/runners/" + intruder.get()));
        }
    }

    private static void putLease(Sandbox sb, String holder, Duration renewedAgo) {
        ZonedDateTime renewed = ZonedDateTime.ofInstant(sb.clock.instant().minus(renewedAgo), ZoneOffset.UTC);
        sb.cluster.client().leases().inNamespace("default").resource(new LeaseBuilder()
                .withNewMetadata().withNamespace("default").withName(LEASE).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(600).withAcquireTime(renewed)
                .withRenewTime(renewed).endSpec().build()).create();
    }

    private static Lease lease(Sandbox sb) {
        return sb.cluster.client().leases().inNamespace("default").withName(LEASE).get();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the other run never reached the expected point");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
