package dev.irsa.testing;

import java.util.Objects;

/**
 * One call a sandbox service received. {@code operation} is the service's own name for it: AWS's
 * ({@code CreateRole}), a Kubernetes verb and resource ({@code create serviceaccounts}, {@code discover /apis/apps/v1},
 * {@code create serviceaccounts/token}), GitLab's method and path ({@code POST /user/runners}), Helm's
 * command ({@code upgrade}). {@code target} says what it was about when known (a Kubernetes
 * {@code namespace/name}, a GitLab path, a Helm {@code namespace/release}); never a secret.
 *
 * @param changing false for reads (AWS Get/List/Describe, Kubernetes get/list/watch, GitLab GET, Helm status/template)
 * @param status   HTTP status the caller got, or 0 when the service does not report one (AWS and Helm fakes)
 */
public record SandboxCall(Service service, String operation, String target, boolean changing, int status) {
    public SandboxCall {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        target = target == null ? "" : target;
    }

    /**
     * Whether this call is the stack lock's: a create, get, update or delete of a {@code coordination.k8s.io}
     * Lease (irsa's {@code irsa-lock-<stack>}, taken by every {@code apply} and {@code destroy} of {@code Irsa} or {@code RunnerStacks}). The
     * lock never lists Leases: a list is destroy looking at what a namespace holds.
     */
    public boolean stackLock() {
        return service == Service.KUBERNETES && operation.endsWith(" leases") && !operation.startsWith("list ");
    }

    @Override
    public String toString() {
        return service + " " + operation + (target.isEmpty() ? "" : " " + target) + (status == 0 ? "" : " -> " + status);
    }
}
