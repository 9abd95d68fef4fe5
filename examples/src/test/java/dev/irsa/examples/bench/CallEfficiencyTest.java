package dev.irsa.examples.bench;

import dev.irsa.examples.bench.CallEfficiency.PhaseCalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallEfficiencyTest {
    private static List<PhaseCalls> phases;

    @BeforeAll
    static void measure() {
        phases = CallEfficiency.measure();
        System.out.println(CallEfficiency.table(phases));
    }

    @Test
    void printsSomething() {
        assertThat(phases).hasSize(4);
    }
}
