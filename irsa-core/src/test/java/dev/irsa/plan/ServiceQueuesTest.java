package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.internal.ServiceQueues;
import org.junit.jupiter.api.Test;

class ServiceQueuesTest {
    @Test
    void theLeastBusyServiceGoesFirstAndWithinAServiceTheOldest() {
        ServiceQueues<String> queues = new ServiceQueues<>();
        queues.add("iam", "role-1");
        queues.add("iam", "role-2");
        queues.add("iam", "role-3");
        queues.add("kubernetes", "namespace-1");
        queues.add("kubernetes", "namespace-2");

        assertThat(queues.next()).as("none running: the oldest").isEqualTo("role-1");
        assertThat(queues.next()).as("iam has one running").isEqualTo("namespace-1");
        assertThat(queues.next()).as("one each: the oldest").isEqualTo("role-2");
        assertThat(queues.next()).isEqualTo("namespace-2");
        queues.finished("kubernetes");
        queues.finished("kubernetes");
        queues.add("kubernetes", "account-1");
        assertThat(queues.next()).as("made ready later, but its service is idle while two roles run")
                .isEqualTo("account-1");
        assertThat(queues.next()).isEqualTo("role-3");
        assertThat(queues.isEmpty()).isTrue();
        assertThat(queues.next()).isNull();
    }
}
