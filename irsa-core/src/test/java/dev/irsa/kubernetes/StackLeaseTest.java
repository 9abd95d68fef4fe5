package dev.irsa.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import dev.irsa.plan.FakeClock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stack lock over fabric8's CRUD mock API server, whose resourceVersion checks do the mutual exclusion. */
class StackLeaseTest {
    private static final String PATH = "/apis/coordination.k8s.io/v1/namespaces/default/leases/irsa-lock-demo";
    private final CrudServer k8s = new CrudServer();
    private final FakeClock clock = new FakeClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final KubernetesExecutor executor = KubernetesExecutor.builder().client(k8s.client).clock(clock)
            .sleeper(d -> {
                sleeps.add(d);
                clock.advance(d);
            }).build();

    @AfterEach
    void close() {
        k8s.close();
    }

    @Test
    void takesAFreeLockAsALabelledLeaseAndReleasesIt() {
        try (StackLease lease = executor.lockStack("default", "demo", "run-a", Duration.ofMinutes(10), Duration.ZERO)) {
            Lease live = lease();
            assertThat(live.getSpec().getHolderIdentity()).isEqualTo("run-a");
            assertThat(live.getSpec().getLeaseDurationSeconds()).isEqualTo(600);
            assertThat(live.getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());
            assertThat(live.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "irsa")
                    .containsEntry("irsa.dev/stack", "demo");
            assertThat(lease.toString()).contains("default/irsa-lock-demo", "run-a");
        }
        assertThat(lease()).isNull();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aFreeLockCostsOneCreateAndReleasingItOneReadAndOneDelete() {
        k8s.takeRequests();
        StackLease lease = executor.lockStack("default", "demo", "run-a", Duration.ofMinutes(10), Duration.ZERO);
        lease.renewIfDue();
        assertThat(k8s.takeRequests()).as("not due: no call").containsExactly("POST /apis/coordination.k8s.io/v1/namespaces/default/leases");
        lease.close();
        assertThat(k8s.takeRequests()).containsExactly("GET " + PATH, "DELETE " + PATH);
    }

    @Test
    void aLiveLeaseMakesTheSecondRunWaitWithBackoffThenFailNamingTheHolder() {
        executor.lockStack("default", "demo", "run-a", Duration.ofMinutes(10), Duration.ZERO);
        assertThatThrownBy(() -> executor.lockStack("default", "demo", "run-b", Duration.ofMinutes(10), Duration.ofSeconds(20)))
                .isInstanceOf(StackLockedException.class)
                .hasMessageContaining("stack demo is locked by run-a (Lease default/irsa-lock-demo")
                .hasMessageContaining("waited 20 s");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(5));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("run-a");
    }

    @Test
    void renewsOnlyWhenAThirdOfTheTtlHasPassedAndNoticesATakeover() {
        StackLease lease = executor.lockStack("default", "demo", "run-a", Duration.ofMinutes(9), Duration.ZERO);
        String version = lease().getMetadata().getResourceVersion();
        clock.advance(Duration.ofMinutes(2));
        lease.renewIfDue();
        assertThat(lease().getMetadata().getResourceVersion()).as("not due yet: no write").isEqualTo(version);
        clock.advance(Duration.ofMinutes(2));
        lease.renewIfDue();
        assertThat(lease().getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());

        // run-a stalls past its TTL; run-b takes over; run-a then learns it lost the lock, and its release leaves run-b's lease.
        clock.advance(Duration.ofMinutes(10));
        executor.lockStack("default", "demo", "run-b", Duration.ofMinutes(9), Duration.ZERO);
        assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThatThrownBy(lease::renewIfDue).isInstanceOf(IrsaException.class)
                .hasMessageContaining("lost the stack lock default/irsa-lock-demo: it is now held by run-b");
        lease.close();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("run-b");
    }

    @Test
    void ofTwoRunsTakingOverAnExpiredLeaseOnlyOneWins() {
        k8s.client.leases().inNamespace("default").resource(new LeaseBuilder()
                .withNewMetadata().withNamespace("default").withName("irsa-lock-demo").endMetadata()
                .withNewSpec().withHolderIdentity("crashed").withLeaseDurationSeconds(60)
                .withRenewTime(ZonedDateTime.ofInstant(clock.instant().minusSeconds(3600), ZoneOffset.UTC)).endSpec().build()).create();
        k8s.takeRequests();
        // run-c takes the expired lease over between run-b's read and run-b's write: run-b's update carries a
        // stale resourceVersion, the server answers 409, run-b reads again and finds run-c's live lease.
        String renewNow = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").format(clock.instant().atZone(ZoneOffset.UTC));
        k8s.concurrentWriteBeforeNext(io.fabric8.mockwebserver.dsl.HttpMethod.PUT, PATH,
                "{\"spec\":{\"holderIdentity\":\"run-c\",\"renewTime\":\"" + renewNow + "\"}}");

        assertThatThrownBy(() -> executor.lockStack("default", "demo", "run-b", Duration.ofMinutes(1), Duration.ZERO))
                .isInstanceOf(StackLockedException.class).hasMessageContaining("locked by run-c");
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("run-c");
        assertThat(CrudServer.writes(k8s.takeRequests())).containsExactly("POST /apis/coordination.k8s.io/v1/namespaces/default/leases",
                "PUT " + PATH, "POST /apis/coordination.k8s.io/v1/namespaces/default/leases");
    }

    @Test
    void badInputFailsBeforeAnyCall() {
        assertThatThrownBy(() -> executor.lockStack("My_NS", "demo", "run-a", Duration.ofMinutes(1), Duration.ZERO))
                .isInstanceOf(ValidationException.class).hasMessageContaining("namespace");
        assertThatThrownBy(() -> executor.lockStack("default", "demo", " ", Duration.ofMinutes(1), Duration.ZERO))
                .isInstanceOf(ValidationException.class).hasMessageContaining("lock.holder");
        assertThatThrownBy(() -> executor.lockStack("default", "demo", "run-a", Duration.ofMillis(500), Duration.ZERO))
                .isInstanceOf(ValidationException.class).hasMessageContaining("lock.ttl");
        assertThatThrownBy(() -> executor.lockStack("default", "demo", "run-a", Duration.ofMinutes(1), Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("lock.wait");
        assertThat(k8s.takeRequests()).isEmpty();
    }

    private Lease lease() {
        return k8s.client.leases().inNamespace("default").withName("irsa-lock-demo").get();
    }
}
