package dev.irsa.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code irsa} invocation through picocli with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = IrsaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
