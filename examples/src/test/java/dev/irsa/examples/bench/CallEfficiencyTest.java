package dev.irsa.examples.bench;

import dev.irsa.examples.bench.CallEfficiency.PhaseCalls;
import dev.irsa.testing.SandboxCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The call counts of the walkthrough stack (not timed): what each phase may and may not call. */
class CallEfficiencyTest {
    /**
     * Reads of a no-op apply of the seed stack today: the floor is one per resource (8), plus five that keep
     * correctness (BENCHMARKS.md): EKS DescribeCluster (the only source of the issuer, account and partition
     * when the spec names the cluster), the role's ListRolePolicies, GetRolePolicy and
     * ListAttachedRolePolicies (IAM has no call returning one role with its policies; without them an added
     * inline policy, a policy's drift or an attached AdministratorAccess would go unseen), and the Helm
     * release's values (helm-java has no structured status: {@code helm status}, then {@code helm get values}).
     */
    static final int NO_OP_READS_TODAY = 13;
    static final int RESOURCES = 8;

    private static List<PhaseCalls> phases;

    @BeforeAll
    static void measure() {
        phases = CallEfficiency.measure();
        System.out.println(CallEfficiency.table(phases));
    }

    private static PhaseCalls phase(String name) {
        return phases.stream().filter(p -> p.phase().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> changing(PhaseCalls p) {
        return p.calls().stream().filter(c -> c.changing() && !c.stackLock())
                .map(c -> c.service() + " " + c.operation()).sorted().toList();
    }

    @Test
    void theStackLockCostsACreateAReadAndADeletePerRunCountedApart() {
        for (PhaseCalls p : phases) {
            assertThat(p.lockCalls()).as(p.phase()).isEqualTo(3);
            assertThat(p.calls().stream().filter(SandboxCall::stackLock).map(c -> c.operation()).sorted().toList())
                    .as(p.phase()).containsExactly("create leases", "delete leases", "get leases");
        }
    }

    @Test
    void noOpApplyReadsOnlyTheFloorPlusTheClusterAndTheRolesPolicies() {
        PhaseCalls noop = phase("no-op apply");
        assertThat(noop.reads()).isEqualTo(NO_OP_READS_TODAY);
        assertThat(noop.byOperation()).containsEntry("EKS DescribeCluster", 1).containsEntry("IAM ListRolePolicies", 1)
                .containsEntry("IAM GetRolePolicy", 1).containsEntry("IAM ListAttachedRolePolicies", 1)
                .doesNotContainKeys("STS GetCallerIdentity", "IAM ListOpenIDConnectProviders", "KUBERNETES list pods");
    }

    @Test
    void noOpApplyMakesZeroChangingCalls() {
        PhaseCalls noop = phase("no-op apply");
        assertThat(noop.changing()).isZero();
        assertThat(noop.summary()).startsWith("0 created, 0 updated, 0 deleted");
    }

    @Test
    void noOpApplyReadsEachResourceAndDoesNotGrowBeyondTodaysCount() {
        PhaseCalls noop = phase("no-op apply");
        assertThat(noop.resources()).isEqualTo(RESOURCES);
        // Each resource is observed at least once...
        assertThat(noop.byOperation()).containsKeys("IAM GetOpenIDConnectProvider", "IAM GetRole",
                "KUBERNETES get namespaces", "KUBERNETES get serviceaccounts");
        // ...the service account and the namespace object with exactly one GET each (the floor)...
        assertThat(noop.byOperation()).containsEntry("KUBERNETES get serviceaccounts", 1).containsEntry("KUBERNETES get namespaces", 1);
        // ...the Helm release with one status and one get values, the runner with one GET...
        assertThat(noop.byOperation()).containsEntry("HELM status", 1).containsEntry("HELM values", 1)
                .containsEntry("GITLAB GET /runners/102", 1);
        // ...and the total stays at most today's count (floor = 8, see NO_OP_READS_TODAY).
        assertThat(noop.reads()).isLessThanOrEqualTo(NO_OP_READS_TODAY);
        assertThat(noop.readsOverFloor()).isEqualTo(noop.reads() - RESOURCES);
    }

    @Test
    void noOpApplyReadsTheRunnerSideOncePerResource() {
        PhaseCalls noop = phase("no-op apply");
        // the runner by the id its token Secret records (no project lookup, no list), the Secret once for
        // both resources that observe it, the Helm release with one status and one get values (of that revision)
        assertThat(noop.byOperation()).containsEntry("KUBERNETES get secrets", 1).containsEntry("HELM status", 1)
                .containsEntry("HELM values", 1).containsEntry("GITLAB GET /runners/102", 1)
                .doesNotContainKeys("GITLAB GET /projects/my-group/my-project", "GITLAB GET /projects/101/runners");
        assertThat(noop.byOperation().keySet()).filteredOn(k -> k.startsWith("GITLAB ")).containsExactlyInAnyOrder(
                "GITLAB GET /runners/102", "GITLAB GET /projects/my-group/my-project/repository/files/.gitlab-ci.yml");
    }

    /**
     * Each resource once, plus two records on the token Secret that make ownership provable (issue 13): the
     * runner's registration nonce is recorded before {@code POST /user/runners} (creating the Secret, without a
     * token), the token then patched in with the runner's id, and the pipeline's content hash recorded before
     * its commit.
     */
    @Test
    void freshApplyWritesEachResourceOnceAndRecordsWhatProvesOwnership() {
        assertThat(changing(phase("fresh apply"))).containsExactly(
                "GITLAB POST /projects/101/repository/files/.gitlab-ci.yml", "GITLAB POST /user/runners", "HELM upgrade",
                "IAM CreateOpenIDConnectProvider", "IAM CreateRole", "IAM PutRolePolicy",
                "KUBERNETES create namespaces", "KUBERNETES create secrets", "KUBERNETES create serviceaccounts",
                "KUBERNETES patch secrets", "KUBERNETES patch secrets");
    }

    @Test
    void driftRepairTouchesOnlyWhatDrifted() {
        PhaseCalls drift = phase("drift repair");
        assertThat(changing(drift)).containsExactly("IAM UpdateAssumeRolePolicy", "KUBERNETES patch serviceaccounts");
    }

    @Test
    void destroyOnlyDeletes() {
        assertThat(changing(phase("destroy"))).containsExactly(
                "GITLAB DELETE /projects/101/repository/files/.gitlab-ci.yml", "GITLAB DELETE /runners/102", "HELM uninstall",
                "IAM DeleteOpenIDConnectProvider", "IAM DeleteRole", "IAM DeleteRolePolicy",
                "KUBERNETES delete namespaces", "KUBERNETES delete secrets", "KUBERNETES delete serviceaccounts");
    }

    @Test
    void tableShowsEveryOperationAndTotals() {
        String table = CallEfficiency.table(phases);
        assertThat(table).contains("fresh apply", "no-op apply", "drift repair", "destroy", "IAM CreateRole", "= changing calls");
        assertThat(table.lines().filter(l -> l.startsWith("= changing calls")).findFirst().orElseThrow())
                .matches("= changing calls\\s+11\\s+0\\s+2\\s+9");
    }
}
