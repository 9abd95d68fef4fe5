package dev.irsa.examples.cli;

import dev.irsa.examples.bench.BenchMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code irsa bench}: the benchmarks of examples/BENCHMARKS.md; every option is BenchMain's. */
@Command(name = "bench",
        description = {"Benchmarks: remote calls per phase, many stacks under an IAM rate limit, aws CLI vs irsa on moto,",
                "cold start, JMH throughput. Every option goes to the benchmark: irsa bench --help lists them."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        PrintStream err = WriterOutputStream.printStream(spec.commandLine().getErr());
        try {
            return BenchMain.execute(out, err, args.toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }
}
