package dev.irsa.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Correctness of the many-bindings benchmark on moto (never its speed): both sides apply, plan nothing on the
 * second plan, destroy everything; and how irsa's remote calls grow with N (3 and 6 bindings). One moto run
 * serves every test of the class.
 *
 * <p>Calls are split as the benchmark reports them: on the bindings' roles (per binding) and on what the
 * bindings share (the OIDC provider; the account: {@code ListRoles}, {@code GetCallerIdentity}). The goal (issue 14, item 2):
 * the shared provider is observed once and changed once, destroy deletes it once after the last role and
 * lists the account once, so the number of calls per binding is the same whatever N.
 */
class ManyBindingsOnMotoTest {
    private static final int SMALL = 3;
    private static final int LARGER = 6;
    private static ManyBindingsOnMoto.Report report;

    private static synchronized ManyBindingsOnMoto.Report report() {
        if (report == null) {
            report = ManyBindingsOnMoto.measure(List.of(SMALL, LARGER), 4);
            System.out.println(ManyBindingsOnMoto.table(report.results()));
            report.results().forEach(r -> System.out.print(ManyBindingsOnMoto.operations(r)));
        }
        assumeTrue(report.skipped() == null, report.skipped());
        return report;
    }

    private static ManyBindingsOnMoto.PhaseRun irsa(int n, String phase) {
        return run(report().results().stream().filter(r -> r.bindings() == n).findFirst().orElseThrow().irsa(), phase);
    }

    private static ManyBindingsOnMoto.PhaseRun loop(int n, String phase) {
        return run(report().results().stream().filter(r -> r.bindings() == n).findFirst().orElseThrow().loop(), phase);
    }

    private static ManyBindingsOnMoto.PhaseRun run(List<ManyBindingsOnMoto.PhaseRun> runs, String phase) {
        return runs.stream().filter(p -> p.phase().equals(phase)).findFirst().orElseThrow();
    }

    @Test
    void bothSidesApplyPlanNothingOnTheSecondPlanAndDestroyEverything() {
        for (ManyBindingsOnMoto.Result r : report().results()) {
            assertThat(r.irsa()).as("irsa, N=%d", r.bindings()).allMatch(ManyBindingsOnMoto.PhaseRun::ok);
            assertThat(r.loop()).as("SDK loop, N=%d", r.bindings()).allMatch(ManyBindingsOnMoto.PhaseRun::ok);
            // Both sides create the provider once, and a role with its inline policy per binding.
            assertThat(run(r.irsa(), "apply").byOperation()).containsEntry("createRole", r.bindings())
                    .containsEntry("putRolePolicy", r.bindings());
            assertThat(run(r.loop(), "apply").byOperation()).containsEntry("createOpenIDConnectProvider", 1)
                    .containsEntry("createRole", r.bindings()).containsEntry("putRolePolicy", r.bindings());
            assertThat(run(r.irsa(), "destroy").byOperation()).containsEntry("deleteRole", r.bindings());
            assertThat(run(r.loop(), "destroy").byOperation()).containsEntry("deleteOpenIDConnectProvider", 1)
                    .containsEntry("listRoles", 1);
        }
    }

    @Test
    void theSdkLoopMakesTheSameCallsPerBindingAndSharedCallsWhateverN() {
        for (String phase : ManyBindingsOnMoto.PHASES) {
            assertThat(loop(LARGER, phase).perBindingCalls() * SMALL).as(phase)
                    .isEqualTo(loop(SMALL, phase).perBindingCalls() * LARGER);
            assertThat(loop(LARGER, phase).sharedCalls()).as(phase).isEqualTo(loop(SMALL, phase).sharedCalls());
        }
    }

    /** Calls on each binding's own role: the same per binding for N = 3 and N = 6, in every phase (holds today). */
    @Test
    void irsaMakesTheSameRoleCallsPerBindingWhateverN() {
        for (String phase : ManyBindingsOnMoto.PHASES) {
            assertThat(irsa(LARGER, phase).perBindingCalls() * SMALL).as(phase)
                    .isEqualTo(irsa(SMALL, phase).perBindingCalls() * LARGER);
        }
    }

    /**
     * Issue 14 item 2 on moto: with all bindings as one plan ({@link OnePlan}), calls on the shared OIDC provider and
     * on the account ({@code ListRoles}, {@code GetCallerIdentity}) do not grow with N. One plan per binding made
     * every binding ask whose the account is, observe the provider, try to create it, and on destroy read it again
     * and list the account's roles (N {@code ListRoles}, each returning up to N roles).
     */
    @Test
    void sharedProviderIsObservedChangedAndListedOncePerRunWhateverN() {
        for (String phase : ManyBindingsOnMoto.PHASES) {
            assertThat(irsa(LARGER, phase).sharedCalls()).as("%s: calls on the shared provider and the account", phase)
                    .isEqualTo(irsa(SMALL, phase).sharedCalls());
        }
        assertThat(irsa(LARGER, "destroy").byOperation()).as("the account listed once, the provider deleted once")
                .containsEntry("listRoles", 1).containsEntry("deleteOpenIDConnectProvider", 1);
    }
}
