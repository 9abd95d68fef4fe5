package dev.irsa.binding;

import dev.irsa.binding.internal.BindingResources;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import java.util.Set;

/**
 * The namespace as a plan resource, for plans that need a namespace besides their bindings' (e.g. the namespace
 * of a runner stack's Helm release): created and marked for {@code stack}, or an existing one used as it is and
 * never deleted. Two of them with one id in a plan (a binding's and a release's) are
 * {@linkplain Resource#merge merged} into one.
 *
 * <pre>{@code
 * Resource namespace = NamespaceResources.of("seed", "gitlab", kubernetesExecutor, Set.of("app-dev-runner"));
 * }</pre>
 */
public final class NamespaceResources {
    private NamespaceResources() {
    }

    /** {@code kubernetes.namespace/<namespace>}, the id bindings use for it too. */
    public static ResourceId id(String namespace) {
        return BindingResources.namespaceId(namespace);
    }

    /**
     * The namespace {@code namespace} of stack {@code stack}; {@code releasesRemovedFirst} are the stack's Helm
     * releases in it, which a destroy uninstalls before the namespace (planning does not count their objects as
     * foreign).
     */
    public static Resource of(String stack, String namespace, KubernetesExecutor kubernetes, Set<String> releasesRemovedFirst) {
        return BindingResources.namespace(stack, namespace, kubernetes, releasesRemovedFirst);
    }
}
