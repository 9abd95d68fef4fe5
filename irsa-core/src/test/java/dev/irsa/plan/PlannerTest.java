package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private final ToyCloud cloud = new ToyCloud();
    private final Planner planner = Planner.create(p -> p.budget(ExecutionBudget.create(b -> b.maxConcurrency(3))));
    private final Applier applier = Applier.create();

    // provider <- role <- account (the IRSA shape: the account carries the role's ARN)
    private final ToyResource provider = ToyResource.of(cloud, "provider").field("url", "https://issuer.example");
    private final ToyResource role = ToyResource.of(cloud, "role").field("path", "/ci/").arnOf("trustedBy", provider);
    private final ToyResource account = ToyResource.of(cloud, "account").arnOf("roleArn", role);

    @Test
    void freshPlanCreatesEverythingDependenciesFirstWithOutputsKnownAfterApply() {
        Plan plan = planner.plan("ci", List.of(account, role, provider));

        assertThat(plan.changes()).extracting(Change::id).containsExactly(provider.id(), role.id(), account.id());
        assertThat(plan.changes()).extracting(Change::action).containsOnly(Action.CREATE);
        assertThat(plan.change(account.id()).orElseThrow().diff("roleArn").orElseThrow().after())
                .contains(FieldValue.unknown());
        assertThat(plan.change(role.id()).orElseThrow().diff("path").orElseThrow().after())
                .contains(FieldValue.of("/ci/"));
        assertThat(plan.toAdd()).isEqualTo(3);
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.summary()).isEqualTo("Plan: 3 to add, 0 to change, 0 to destroy.");
        assertThat(cloud.changingCalls()).as("planning only reads").isZero();
        assertThat(cloud.reads()).isEqualTo(3);
    }

    @Test
    void afterApplyThePlanHasOnlyNoOps() {
        applier.apply(planner.plan("ci", List.of(provider, role, account))).orThrow();

        Plan again = planner.plan("ci", List.of(provider, role, account));

        assertThat(again.changes()).extracting(Change::action).containsOnly(Action.NO_OP);
        assertThat(again.changes()).extracting(Change::reason).containsOnly("up to date");
        assertThat(again.hasChanges()).isFalse();
        assertThat(again.render()).isEqualTo("No changes. Live state matches the configuration.\n");
    }

    @Test
    void driftShowsExactlyTheChangedFieldAndDependentsSeeObservedOutputs() {
        applier.apply(planner.plan("ci", List.of(provider, role, account))).orThrow();
        String roleArn = cloud.get(role.key()).arn();
        cloud.putOutOfBand(role.key(), Map.of("path", "/other/", "trustedBy", cloud.get(provider.key()).arn()), "ci");

        Plan plan = planner.plan("ci", List.of(provider, role, account));

        Change roleChange = plan.change(role.id()).orElseThrow();
        assertThat(roleChange.action()).isEqualTo(Action.UPDATE);
        assertThat(roleChange.reason()).isEqualTo("1 field differs: path");
        assertThat(roleChange.diffs()).containsExactly(
                FieldDiff.change("path", FieldValue.of("/other/"), FieldValue.of("/ci/")));
        // The role is updated, not recreated: its ARN is known, so the account is up to date.
        assertThat(plan.change(account.id()).orElseThrow().action()).isEqualTo(Action.NO_OP);
        assertThat(plan.change(provider.id()).orElseThrow().action()).isEqualTo(Action.NO_OP);

        ApplyResult result = applier.apply(plan);
        assertThat(result.summary()).isEqualTo("0 created, 1 updated, 0 deleted, 2 unchanged");
        assertThat(cloud.get(role.key()).fields()).containsEntry("path", "/ci/");
        assertThat(cloud.get(role.key()).arn()).isEqualTo(roleArn);
        assertThat(planner.plan("ci", List.of(provider, role, account)).hasChanges()).isFalse();
    }

    @Test
    void observationsRunInParallelWithinTheBudget() throws Exception {
        java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.Semaphore arrived = new java.util.concurrent.Semaphore(0);
        cloud.onRead(() -> {
            arrived.release();
            gate.acquireUninterruptibly();
        });
        List<Resource> many = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            many.add(ToyResource.of(cloud, "r" + i));
        }

        java.util.concurrent.CompletableFuture<Plan> plan =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> planner.plan("ci", many));
        assertThat(arrived.tryAcquire(3, 30, java.util.concurrent.TimeUnit.SECONDS)).as("3 reads at once").isTrue();
        assertThat(cloud.inFlight()).isEqualTo(3);
        gate.release(7);

        assertThat(plan.get(30, java.util.concurrent.TimeUnit.SECONDS).toAdd()).isEqualTo(7);
        assertThat(cloud.maxInFlight()).isEqualTo(3);
    }

    @Test
    void orderIsStableWhateverTheInputOrder() {
        ToyResource a = ToyResource.of(cloud, "a");
        ToyResource b = ToyResource.of(cloud, "b");
        ToyResource c = ToyResource.of(cloud, "c").dependsOn(a.id());
        List<ResourceId> expected = List.of(a.id(), b.id(), c.id());

        assertThat(planner.plan("ci", List.of(c, b, a)).changes()).extracting(Change::id).isEqualTo(expected);
        assertThat(planner.plan("ci", List.of(b, a, c)).changes()).extracting(Change::id).isEqualTo(expected);
    }

    @Test
    void cycleIsATypedErrorNamingTheCycle() {
        ToyResource a = ToyResource.of(cloud, "a").dependsOn(ResourceId.of("toy.thing", "c"));
        ToyResource b = ToyResource.of(cloud, "b").dependsOn(a.id());
        ToyResource c = ToyResource.of(cloud, "c").dependsOn(b.id());
        ToyResource free = ToyResource.of(cloud, "free");

        assertThatThrownBy(() -> planner.plan("ci", List.of(a, b, c, free)))
                .isInstanceOfSatisfying(DependencyCycleException.class, e -> assertThat(e.cycle())
                        .containsExactly(a.id(), c.id(), b.id()))
                .hasMessage("dependency cycle: toy.thing/a -> toy.thing/c -> toy.thing/b -> toy.thing/a");
        assertThat(cloud.reads()).as("nothing observed").isZero();
    }

    @Test
    void selfDependencyIsACycle() {
        ToyResource a = ToyResource.of(cloud, "a");
        a.dependsOn(a.id());

        assertThatThrownBy(() -> planner.plan("ci", List.of(a)))
                .isInstanceOfSatisfying(DependencyCycleException.class,
                        e -> assertThat(e.cycle()).containsExactly(a.id()));
    }

    @Test
    void unknownDependencyIsATypedError() {
        ResourceId missing = ResourceId.of("toy.thing", "missing");
        ToyResource a = ToyResource.of(cloud, "a").dependsOn(missing);

        assertThatThrownBy(() -> planner.plan("ci", List.of(a)))
                .isInstanceOfSatisfying(UnknownDependencyException.class, e -> {
                    assertThat(e.resource()).isEqualTo(a.id());
                    assertThat(e.dependency()).isEqualTo(missing);
                });
    }

    @Test
    void duplicateIdIsATypedError() {
        assertThatThrownBy(() -> planner.plan("ci", List.of(ToyResource.of(cloud, "a"), ToyResource.of(cloud, "a"))))
                .isInstanceOfSatisfying(DuplicateResourceException.class,
                        e -> assertThat(e.id()).isEqualTo(ResourceId.of("toy.thing", "a")));
    }

    @Test
    void readingAnUndeclaredDependencyIsRejected() {
        Resource sneaky = new DelegatingResource(ToyResource.of(cloud, "sneaky")) {
            @Override
            public Fields desired(Inputs inputs) {
                return Fields.builder().put("x", inputs.output(provider.id(), ToyResource.ARN)).build();
            }
        };

        assertThatThrownBy(() -> planner.plan("ci", List.of(provider, sneaky)))
                .isInstanceOf(UnknownDependencyException.class)
                .hasMessageContaining("toy.thing/sneaky depends on toy.thing/provider");
    }

    @Test
    void foreignObjectIsRefusedAndApplyChangesNothing() {
        cloud.putOutOfBand(role.key(), Map.of("path", "/"), null);

        Plan plan = planner.plan("ci", List.of(provider, role));

        Change refused = plan.change(role.id()).orElseThrow();
        assertThat(refused.action()).isEqualTo(Action.REFUSE);
        assertThat(refused.observed()).isEqualTo(Presence.FOREIGN);
        assertThat(refused.reason()).isEqualTo("exists but is not managed by irsa");
        assertThat(plan.summary()).isEqualTo("Plan: 1 to add, 0 to change, 0 to destroy, 1 refused.");
        assertThatThrownBy(() -> applier.apply(plan))
                .isInstanceOfSatisfying(PlanRefusedException.class,
                        e -> assertThat(e.refused()).containsExactly(role.id()));
        assertThat(cloud.changingCalls()).isZero();
        assertThat(cloud.get(role.key()).fields()).containsEntry("path", "/");
    }

    @Test
    void adoptionTakesOverAForeignObject() {
        applier.apply(planner.plan("ci", List.of(provider))).orThrow();
        cloud.putOutOfBand(role.key(), Map.of("path", "/ci/", "trustedBy", cloud.get(provider.key()).arn()), null);
        Planner adopting = Planner.create(p -> p.adopt(role.id()));

        Plan plan = adopting.plan("ci", List.of(provider, role));

        Change adopt = plan.change(role.id()).orElseThrow();
        assertThat(adopt.action()).isEqualTo(Action.UPDATE);
        assertThat(adopt.adopt()).isTrue();
        assertThat(adopt.diffs()).isEmpty();
        assertThat(applier.apply(plan).summary()).isEqualTo("0 created, 1 updated, 0 deleted, 1 unchanged");
        assertThat(cloud.get(role.key()).ownerStack()).isEqualTo("ci");
        assertThat(planner.plan("ci", List.of(provider, role)).hasChanges()).isFalse();
    }

    @Test
    void observationFailureIsATypedErrorNamingTheResource() {
        Resource broken = new DelegatingResource(ToyResource.of(cloud, "broken")) {
            @Override
            public Observed observe() {
                throw new IllegalStateException("503 from the toy API");
            }
        };

        assertThatThrownBy(() -> planner.plan("ci", List.of(provider, broken)))
                .isInstanceOfSatisfying(ObservationException.class,
                        e -> assertThat(e.resource()).isEqualTo(broken.id()))
                .hasMessage("could not observe toy.thing/broken: 503 from the toy API")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void destroyPlanIsReverseOrderAndOnlyOwned() {
        applier.apply(planner.plan("ci", List.of(provider, role, account))).orThrow();
        cloud.putOutOfBand(provider.key(), Map.of("url", "https://issuer.example"), "someone-else");

        Plan plan = planner.destroyPlan("ci", List.of(provider, role, account));

        assertThat(plan.mode()).isEqualTo(Plan.Mode.DESTROY);
        assertThat(plan.changes()).extracting(Change::id).containsExactly(account.id(), role.id(), provider.id());
        assertThat(plan.changes()).extracting(Change::action)
                .containsExactly(Action.DELETE, Action.DELETE, Action.NO_OP);
        assertThat(plan.change(provider.id()).orElseThrow().reason()).isEqualTo("not managed by irsa");
        assertThat(plan.summary()).isEqualTo("Plan: 0 to add, 0 to change, 2 to destroy.");
    }

    @Test
    void destroyAndRecreateAPartOfAStackEveryDay() {
        applier.apply(planner.plan("ci", List.of(provider, role, account))).orThrow();
        String providerArn = cloud.get(provider.key()).arn();

        for (int day = 0; day < 3; day++) {
            // Evening: only the role goes; the provider (a dependency) and the account are not part of it.
            Plan evening = planner.destroyPlan("ci", List.of(role));
            assertThat(evening.changes()).extracting(Change::action).containsExactly(Action.DELETE);
            assertThat(evening.changes().get(0).dependsOn()).isEmpty();
            applier.apply(evening).orThrow();
            assertThat(cloud.contains(role.key())).isFalse();
            assertThat(cloud.contains(provider.key())).isTrue();
            assertThat(applier.apply(planner.destroyPlan("ci", List.of(role))).summary())
                    .as("running it twice is safe").isEqualTo("0 created, 0 updated, 0 deleted, 1 unchanged");

            // Morning: the role comes back with the same trust; the account then follows the new ARN.
            Plan morning = planner.plan("ci", List.of(provider, role, account));
            assertThat(morning.change(role.id()).orElseThrow().action()).isEqualTo(Action.CREATE);
            assertThat(morning.change(account.id()).orElseThrow().diff("roleArn").orElseThrow().after())
                    .contains(FieldValue.unknown());
            applier.apply(morning).orThrow();
            assertThat(cloud.get(role.key()).fields()).containsEntry("trustedBy", providerArn);
            assertThat(cloud.get(account.key()).fields()).containsEntry("roleArn", cloud.get(role.key()).arn());
            assertThat(planner.plan("ci", List.of(provider, role, account)).hasChanges()).isFalse();
        }
    }

    /** Forwards to a toy resource; tests override one method. */
    private static class DelegatingResource implements Resource {
        private final ToyResource delegate;

        DelegatingResource(ToyResource delegate) {
            this.delegate = delegate;
        }

        @Override
        public ResourceId id() {
            return delegate.id();
        }

        @Override
        public String service() {
            return delegate.service();
        }

        @Override
        public java.util.Set<ResourceId> dependsOn() {
            return delegate.dependsOn();
        }

        @Override
        public Observed observe() {
            return delegate.observe();
        }

        @Override
        public Fields desired(Inputs inputs) {
            return delegate.desired(inputs);
        }

        @Override
        public Outputs apply(ApplyContext context) {
            return delegate.apply(context);
        }

        @Override
        public void delete(ApplyContext context) {
            delegate.delete(context);
        }
    }
}
