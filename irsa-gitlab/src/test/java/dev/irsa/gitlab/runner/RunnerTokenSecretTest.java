package dev.irsa.gitlab.runner;

import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunnerTokenSecretTest {
    @Test
    void holdsBothKeysTheChartReads() {
        var data = RunnerTokenSecret.data(SecretString.of("glrt-abc"));
        assertThat(data).containsOnlyKeys("runner-token", "runner-registration-token");
        assertThat(data.get("runner-token").reveal()).isEqualTo("glrt-abc");
        assertThat(data.get("runner-registration-token").isEmpty()).isTrue();
        assertThat(data.toString()).doesNotContain("glrt-abc");
        assertThatThrownBy(() -> RunnerTokenSecret.data(SecretString.of("GR1348941x"))).isInstanceOf(ValidationException.class);
    }
}
