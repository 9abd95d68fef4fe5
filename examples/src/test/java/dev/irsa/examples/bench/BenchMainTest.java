package dev.irsa.examples.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchMainTest {

    @Test
    void defaultsFollowIssue8() {
        BenchMain.Options o = BenchMain.parse(new String[0]);
        assertThat(o.only()).containsExactlyInAnyOrder("calls", "stacks", "cli", "startup", "jmh", "bindings");
        assertThat(o.bindings()).containsExactly(50, 200);
        assertThat(o.stacks()).containsExactly(1, 10, 100, 200);
        assertThat(o.latency()).isEqualTo(Duration.ofMillis(20));
        assertThat(o.iamRate()).isEqualTo(10);
    }

    @Test
    void optionsAreConfigurable() {
        BenchMain.Options o = BenchMain.parse(new String[] {"--only", "stacks,calls", "--stacks", "2, 3", "--latency-ms", "0",
                "--iam-rate", "5", "--concurrency", "4", "--jar", "x.jar", "--bindings", "3,6"});
        assertThat(o.only()).isEqualTo(Set.of("stacks", "calls"));
        assertThat(o.stacks()).isEqualTo(List.of(2, 3));
        assertThat(o.latency()).isZero();
        assertThat(o.iamRate()).isEqualTo(5);
        assertThat(o.concurrency()).isEqualTo(4);
        assertThat(o.jar()).isEqualTo(Path.of("x.jar"));
        assertThat(o.bindings()).containsExactly(3, 6);
        assertThat(BenchMain.parse(new String[] {"--quick"}).stacks()).containsExactly(1, 10);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--only", "everything"})).hasMessageContaining("--only takes");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--iam-rate", "0"})).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--stacks", "5000"})).hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--bindings", "5000"})).hasMessageContaining("at most 1000 bindings");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--latency-ms"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--frobnicate", "1"})).hasMessageContaining("unknown option");
    }
}
