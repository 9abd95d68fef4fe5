package dev.irsa.examples.cli;

import dev.irsa.IrsaEndpoints;
import dev.irsa.StackLock;
import dev.irsa.binding.IdentityMode;
import dev.irsa.gitlab.stack.StackSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** What the stack commands share: the endpoint settings and lock from the options, and what a spec needs of them. */
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

    /** The region of a spec without a runner: its first binding's cluster region, if any gives one. */
    static Optional<String> region(StackSpec spec) {
        return spec.bindings().stream().flatMap(b -> b.cluster().flatMap(c -> c.region()).stream()).findFirst();
    }

    /** Whether a spec's bindings need a cluster: all but GitLab OIDC roles do (and only then is there a lock). */
    static boolean needsKubernetes(StackSpec spec) {
        return spec.bindings().stream().anyMatch(b -> b.mode() != IdentityMode.GITLAB_OIDC);
    }
}
