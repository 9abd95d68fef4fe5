package dev.irsa.examples.cli;

import dev.irsa.EndpointSetupException;
import dev.irsa.IrsaException;
import dev.irsa.SafeText;
import dev.irsa.ValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code irsa} command line: {@code render}, {@code lint}, {@code preflight}, {@code plan}, {@code apply}, {@code verify},
 * {@code destroy} (each also {@code --iam-only}), {@code schedule}, {@code demo} and {@code bench}.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} lint findings, a failed verify or a failed
 * apply; {@value #USAGE} a usage error or invalid input (a {@link ValidationException}'s field, value and
 * rule go to stderr, control characters escaped and long values cut, see {@link SafeText}). This class and the subcommand classes only refer to the library in their
 * {@code call()} methods, so {@code irsa render trust-policy} never loads AWS, Kubernetes or GitLab clients.
 */
@Command(name = "irsa", mixinStandardHelpOptions = true, version = "irsa 0.1.0",
        description = "Bind GitLab CI jobs on EKS to an IAM role through a Kubernetes service account (IRSA).",
        subcommands = {RenderCommand.class, LintCommand.class, StackCommands.Plan_.class, StackCommands.Apply.class,
                StackCommands.Verify.class, StackCommands.Destroy.class, PreflightCommand.class, ScheduleCommand.class, DemoCommand.class, BenchCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 findings or verification failed, 2 usage or validation error."})
public final class IrsaCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Longest input value echoed in an error (longer ones are cut with a marker). */
    static final int MAX_SHOWN = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code irsa args} writing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line (for embedding and tests). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new IrsaCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(IrsaCli::handle);
        cli.setParameterExceptionHandler(IrsaCli::handleParameters);
        return cli;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        ValidationException invalid = findValidation(e);
        if (invalid instanceof EndpointSetupException missing) {
            // a setting absent from the environment, not a bad value: what, where irsa looked, what to do
            err.println("error: " + SafeText.shorten(missing.problem(), MAX_SHOWN * 4));
            missing.lookedAt().forEach(place -> err.println("  looked at: " + SafeText.shorten(place, MAX_SHOWN * 4)));
            err.println("  fix: " + SafeText.shorten(missing.fix(), MAX_SHOWN * 4));
            err.println("  next: irsa preflight --spec FILE checks every other piece (AWS, Kubernetes, GitLab, Helm) at once");
            err.flush();
            return USAGE;
        }
        if (invalid != null) {
            // Field, value and rule can all carry input: escaped and bounded, so a value cannot drive the
            // terminal or forge a line of its own.
            err.println("error: invalid input");
            err.println("  field: " + SafeText.shorten(invalid.field(), MAX_SHOWN));
            err.println("  value: " + (invalid.value() == null ? "<missing>" : SafeText.shorten(invalid.value(), MAX_SHOWN)));
            err.println("  rule:  " + SafeText.shorten(invalid.rule(), MAX_SHOWN * 4));
            err.flush();
            return USAGE;
        }
        if (e instanceof UsageException) {
            err.println("error: " + SafeText.shorten(e.getMessage(), MAX_SHOWN * 4));
            err.flush();
            return USAGE;
        }
        // Library errors never carry secrets (SecretString redacts); print the message, not a stack trace.
        err.println("error: " + (e instanceof IrsaException ? "" : e.getClass().getSimpleName() + ": ")
                + SafeText.shorten(String.valueOf(e.getMessage()), MAX_SHOWN * 4));
        err.flush();
        return FAILED;
    }

    /** picocli's own handler, but the message (which quotes the arguments) is escaped. */
    private static int handleParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(SafeText.shorten(e.getMessage(), MAX_SHOWN * 4));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cli.usage(err, cli.getColorScheme());
        }
        err.flush();
        return USAGE;
    }

    private static ValidationException findValidation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ValidationException v) {
                return v;
            }
        }
        return null;
    }

    /** A usage problem found by a command itself (exit code 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
