package dev.irsa.examples.cli;

import dev.irsa.IrsaEndpoints;
import dev.irsa.StackLock;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ProgressPrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** What the stack commands share: the endpoint settings and lock from the options, progress, the closing line. */
final class CommandSupport {
    private CommandSupport() {
    }

    /** AWS and Kubernetes as the options say; the region is {@code --region}, else {@code specRegion}, else the SDK's chain. */
    static Consumer<IrsaEndpoints.Builder> endpoints(StackCommands.Target t, Optional<String> specRegion) {
        Optional<String> awsRegion = Optional.ofNullable(t.region).or(() -> specRegion);
        return e -> {
            awsRegion.ifPresent(e::region);
            Optional.ofNullable(t.awsEndpoint).ifPresent(e::awsEndpoint);
            Optional.ofNullable(t.kubeconfig).ifPresent(e::kubeconfig);
            Optional.ofNullable(t.context).ifPresent(e::context);
        };
    }

    /** The stack lock as {@code --no-lock}, {@code --lock-namespace} and {@code --lock-wait} say. */
    static StackLock lock(StackCommands.Target t) {
        return StackLock.create(l -> l.enabled(!t.noLock).namespace(t.lockNamespace).waitFor(Duration.ofSeconds(t.lockWaitSeconds)));
    }

    static ApplyListener progress(PrintWriter out) {
        return new ProgressPrinter(WriterOutputStream.printStream(out));
    }

    /** Prints {@code "<what>: <summary>"} after the progress lines; the exit code of the result. */
    static int report(String what, ApplyResult result, PrintWriter out) {
        out.flush();
        out.println(what + ": " + result.summary());
        return result.succeeded() ? IrsaCli.OK : IrsaCli.FAILED;
    }
}
