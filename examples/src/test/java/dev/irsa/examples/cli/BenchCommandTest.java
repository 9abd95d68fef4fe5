package dev.irsa.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {
    @Test
    void passesItsOptionsToTheBenchmarkAndReportsBadOnesAsUsageErrors() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = IrsaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--stacks", "0");
        assertThat(exit).isEqualTo(IrsaCli.USAGE);
        assertThat(err.toString()).startsWith("bench: ").contains("usage: BenchMain");
    }
}
