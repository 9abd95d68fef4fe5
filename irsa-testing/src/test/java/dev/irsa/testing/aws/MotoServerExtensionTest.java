package dev.irsa.testing.aws;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MotoServerExtensionTest {
    @Test
    void absentMotoSkipsWithAMessageOutsideCi() {
        assertThatThrownBy(() -> MotoServerExtension.requireMotoOrSkip(false, null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("moto is not installed");
        assertThatThrownBy(() -> MotoServerExtension.requireMotoOrSkip(false, "false")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void absentMotoFailsInCi() {
        assertThatThrownBy(() -> MotoServerExtension.requireMotoOrSkip(false, "true"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CI=true");
    }

    @Test
    void presentMotoRuns() {
        assertThatCode(() -> MotoServerExtension.requireMotoOrSkip(true, "true")).doesNotThrowAnyException();
    }

    @Test
    void aMissingInterpreterMeansMotoIsUnavailable() {
        String previous = System.getProperty("irsa.moto.python");
        System.setProperty("irsa.moto.python", "no-such-python-interpreter");
        try {
            org.assertj.core.api.Assertions.assertThat(MotoServer.available()).isFalse();
        } finally {
            if (previous == null) {
                System.clearProperty("irsa.moto.python");
            } else {
                System.setProperty("irsa.moto.python", previous);
            }
        }
    }
}
