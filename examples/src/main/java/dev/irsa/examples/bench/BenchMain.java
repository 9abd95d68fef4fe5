package dev.irsa.examples.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs irsa's benchmarks and prints one table per part (issue 8): remote calls per phase, many stacks
 * under latency and an IAM rate limit, the {@code aws} CLI vs irsa on moto, cold start of
 * {@code irsa render}, JMH throughput of render/lint/evaluate, and many role bindings on moto against a plain
 * SDK loop (issue 14).
 *
 * <pre>
 * java -cp examples/target/irsa.jar dev.irsa.examples.bench.BenchMain                 # everything (several minutes)
 * java -cp examples/target/irsa.jar dev.irsa.examples.bench.BenchMain --quick         # N = 1, 10; fewer rounds
 * java -cp examples/target/irsa.jar dev.irsa.examples.bench.BenchMain --only bindings --bindings 50,200
 * java -cp examples/target/irsa.jar dev.irsa.examples.bench.BenchMain --only calls,stacks --stacks 1,10,100 \
 *      --latency-ms 20 --iam-rate 10 --concurrency 16
 * </pre>
 * Exit code 0 when every part ran and kept its checks (zero changing calls on a no-op, the IAM rate kept,
 * every stack applied), 1 otherwise.
 */
public final class BenchMain {
    static final Set<String> PARTS = Set.of("calls", "stacks", "cli", "startup", "jmh", "bindings");

    /** Parsed options. */
    record Options(Set<String> only, List<Integer> stacks, Duration latency, int iamRate, int concurrency,
                   int startupRuns, int cliRounds, int jmhSeconds, Path jar, int jshellRuns, Path jshellScript,
                   List<Integer> bindings) {
    }

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /**
     * Runs the benchmarks {@code args} select, printing the tables to {@code out}; returns the exit code
     * (0 ok, 1 a check failed, 2 bad options). The hook for {@code irsa bench}:
     * <pre>{@code
     * @Command(name = "bench", description = "Benchmarks: calls, many stacks, aws CLI vs irsa, start-up, JMH, many bindings.")
     * static final class BenchCommand implements Callable<Integer> {
     *     @CommandLine.Unmatched List<String> args = new ArrayList<>();
     *     public Integer call() { return BenchMain.execute(System.out, System.err, args.toArray(String[]::new)); }
     * }
     * }</pre>
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        return run(options, out);
    }

    static String usage() {
        return """
                usage: BenchMain [--quick] [--only calls,stacks,cli,startup,jmh,bindings] [--stacks 1,10,100,200]
                                 [--latency-ms 20] [--iam-rate 10] [--concurrency 16] [--startup-runs 5]
                                 [--cli-rounds 3] [--jmh-seconds 1] [--jar examples/target/irsa.jar]
                                 [--jshell-runs 1] [--jshell-script examples/jshell/walkthrough.jsh]
                                 [--bindings 50,200]""";
    }

    static Options parse(String[] args) {
        Set<String> only = new LinkedHashSet<>(List.of("calls", "stacks", "cli", "startup", "jmh", "bindings"));
        List<Integer> stacks = List.of(1, 10, 100, 200);
        int latency = 20;
        int rate = 10;
        int concurrency = 16;
        int startupRuns = 5;
        int cliRounds = 3;
        int jmhSeconds = 1;
        Path jar = null;
        int jshellRuns = 1;
        Path jshellScript = Path.of("examples", "jshell", "walkthrough.jsh");
        List<Integer> bindings = List.of(50, 200);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                stacks = List.of(1, 10);
                bindings = List.of(10, 20);
                startupRuns = 3;
                cliRounds = 2;
                continue;
            }
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--only" -> {
                    only = new LinkedHashSet<>(Arrays.asList(v.split(",")));
                    if (!PARTS.containsAll(only)) {
                        throw new IllegalArgumentException("--only takes " + PARTS);
                    }
                }
                case "--stacks" -> stacks = Arrays.stream(v.split(",")).map(String::strip).map(BenchMain::positive).toList();
                case "--bindings" -> bindings = Arrays.stream(v.split(",")).map(String::strip).map(BenchMain::positive).toList();
                case "--latency-ms" -> latency = nonNegative(v);
                case "--iam-rate" -> rate = positive(v);
                case "--concurrency" -> concurrency = positive(v);
                case "--startup-runs" -> startupRuns = positive(v);
                case "--cli-rounds" -> cliRounds = positive(v);
                case "--jmh-seconds" -> jmhSeconds = positive(v);
                case "--jar" -> jar = Path.of(v);
                case "--jshell-runs" -> jshellRuns = nonNegative(v);
                case "--jshell-script" -> jshellScript = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (stacks.stream().anyMatch(n -> n > 1000)) {
            throw new IllegalArgumentException("--stacks: at most 1000 stacks per run");
        }
        if (bindings.stream().anyMatch(n -> n > 1000)) {
            throw new IllegalArgumentException("--bindings: at most 1000 bindings per run");
        }
        return new Options(only, stacks, Duration.ofMillis(latency), rate, concurrency, startupRuns, cliRounds, jmhSeconds,
                jar == null ? ownJar() : jar, jshellRuns, jshellScript, bindings);
    }

    private static int positive(String v) {
        int n = nonNegative(v);
        if (n == 0) {
            throw new IllegalArgumentException("expected a positive number: " + v);
        }
        return n;
    }

    private static int nonNegative(String v) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 0) {
                throw new IllegalArgumentException("expected a number >= 0: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number: " + v);
        }
    }

    /** The jar this class runs from (the shaded irsa.jar), or null when run from classes. */
    private static Path ownJar() {
        try {
            Path p = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    static int run(Options o, PrintStream out) {
        boolean ok = true;
        Runtime rt = Runtime.getRuntime();
        out.printf("irsa benchmarks  %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.printf("machine: %d cores, %s %s, Java %s (%s), max heap %d MiB%n%n", rt.availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.maxMemory() / (1024 * 1024));

        if (o.only().contains("calls")) {
            out.println("== 1. Remote calls of the walkthrough stack (IrsaSandbox fakes; plan + apply per phase)");
            List<CallEfficiency.PhaseCalls> phases = CallEfficiency.measure();
            out.print(CallEfficiency.table(phases));
            CallEfficiency.PhaseCalls noop = phases.get(1);
            boolean floor = noop.changing() == 0 && noop.readsOverFloor() == 0;
            out.printf("no-op floor (0 changing calls, <= 1 read per resource = %d): %s — %d changing, %d reads (%d over)%n%n",
                    noop.resources(), floor ? "met" : "NOT met", noop.changing(), noop.reads(), noop.readsOverFloor());
            ok &= noop.changing() == 0;
        }
        if (o.only().contains("stacks")) {
            ManyStacks.Settings settings = new ManyStacks.Settings(o.latency(), o.iamRate(), o.concurrency());
            out.printf("== 2. Many stacks (fakes, %d ms per AWS call really slept, IAM write limit %d/s in the ExecutionBudget, concurrency %d)%n",
                    o.latency().toMillis(), o.iamRate(), o.concurrency());
            List<ManyStacks.Result> results = new ArrayList<>();
            for (int n : o.stacks()) {
                ManyStacks.Result r = ManyStacks.measure(n, settings);
                results.add(r);
                ok &= r.rateKept() && r.sequential().allApplied() && r.concurrent().allApplied();
            }
            out.print(ManyStacks.table(results));
            out.printf("max wr/1s, max calls/1s = IAM writes, all IAM requests started in the busiest 1 s window (sequential/concurrent);"
                    + " every IAM write takes a token of the write limit (reads are free): a %d/s bucket allows %d writes.%n%n",
                    o.iamRate(), 2 * o.iamRate());
        }
        if (o.only().contains("cli")) {
            out.println("== 3. Walkthrough IAM/STS part on one loopback moto: literal aws CLI sequence vs irsa");
            AwsCliComparison.Result r = AwsCliComparison.measure(o.cliRounds());
            if (r.skipped() != null) {
                out.println("skipped: " + r.skipped());
            } else {
                out.printf("aws CLI, %d commands: %s (median of %d)%n", r.cliCommands(), ManyStacks.seconds(r.cliMedian()), r.rounds());
                out.printf("irsa plan + apply:   %s (median; first run in this JVM %s)%n", ManyStacks.seconds(r.irsaMedian()),
                        ManyStacks.seconds(r.irsaFirst()));
                out.printf("ratio aws CLI / irsa: %.1fx%n", r.ratio());
            }
            out.println();
        }
        if (o.only().contains("startup")) {
            out.println("== 4a. Cold start: java -jar irsa.jar " + String.join(" ", Startup.renderArgs().subList(0, 2)) + " ...");
            if (o.jar() == null) {
                out.println("skipped: not running from irsa.jar; pass --jar examples/target/irsa.jar");
            } else {
                Startup.Result r = Startup.measure(o.jar(), o.startupRuns());
                out.printf("median %s (min %s, max %s, %d runs); %d classes loaded, %d from AWS SDK clients/fabric8/GitLab4J/helm%s%n",
                        ManyStacks.seconds(r.median()), ManyStacks.seconds(r.min()), ManyStacks.seconds(r.max()), r.runs(),
                        r.classesLoaded(), r.clientClasses().size(),
                        r.clientClasses().isEmpty() ? "" : " e.g. " + r.clientClasses().subList(0, Math.min(3, r.clientClasses().size())));
                ok &= r.clientClasses().isEmpty();
                if (o.jshellRuns() == 0) {
                    out.println("JShell walkthrough: not run (--jshell-runs 0)");
                } else if (!Files.isRegularFile(o.jshellScript())) {
                    out.println("JShell walkthrough: skipped, " + o.jshellScript() + " not found (run from the repository root)");
                } else {
                    Duration d = Startup.measureJShell(o.jar(), o.jshellScript(), o.jshellRuns());
                    out.printf("JShell walkthrough (render + seed stack apply/verify/destroy on the sandbox): %s cold (median of %d)%n",
                            ManyStacks.seconds(d), o.jshellRuns());
                }
            }
            out.println();
        }
        if (o.only().contains("jmh")) {
            out.println("== 4b. JMH throughput (1 fork, 2 warm-up + 3 measured iterations of " + o.jmhSeconds() + " s)");
            try {
                out.print(jmh(o.jmhSeconds()));
            } catch (RunnerException e) {
                out.println("JMH failed: " + e.getMessage());
                ok = false;
            }
            out.println();
        }
        if (o.only().contains("bindings")) {
            out.printf("== 5. N role bindings sharing one OIDC provider on one loopback moto: irsa vs a plain AWS SDK v2 loop (%d threads each)%n",
                    o.concurrency());
            ManyBindingsOnMoto.Report r = ManyBindingsOnMoto.measure(o.bindings(), o.concurrency());
            if (r.skipped() != null) {
                out.println("skipped: " + r.skipped());
            } else {
                out.print(ManyBindingsOnMoto.table(r.results()));
                out.println("calls/bind. = AWS calls on the bindings' roles per binding + calls on the shared provider and the account"
                        + " (ListRoles, GetCallerIdentity; paginated lists once per page); ok = done, no-op plan planned nothing,"
                        + " moto left as expected.");
                out.print(ManyBindingsOnMoto.operations(r.results().get(r.results().size() - 1)));
            }
            ok &= r.ok();
            out.println();
        }
        return ok ? 0 : 1;
    }

    static String jmh(int seconds) throws RunnerException {
        org.openjdk.jmh.runner.options.Options opts = new OptionsBuilder()
                .include(PolicyBenchmarks.class.getName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(3).measurementTime(TimeValue.seconds(seconds))
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-20s %14s %12s%n", "benchmark", "ops/s", "± (99.9%)"));
        results.stream().sorted((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark())).forEach(r -> {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            sb.append(String.format("%-20s %,14.0f %,12.0f%n", name, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        });
        return sb.toString();
    }
}
