package dev.irsa.kubernetes.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.CredentialInjectionReport;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.PodWithoutCredentials;
import dev.irsa.kubernetes.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds pods of a service account that started without the webhook's credentials and restarts their
 * workloads the way {@code kubectl rollout restart} does (a pod-template annotation, via JSON merge patch).
 */
public final class CredentialInjectionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialInjectionCheck.class);

    private final KubernetesClient client;
    private final Clock clock;

    public CredentialInjectionCheck(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public CredentialInjectionReport check(String namespace, String serviceAccount) {
        String target = "pods of ServiceAccount " + namespace + "/" + serviceAccount;
        try {
            ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get();
            boolean hasRole = sa != null && sa.getMetadata().getAnnotations() != null
                    && sa.getMetadata().getAnnotations().containsKey(IrsaMetadata.ROLE_ARN_ANNOTATION);
            // Filtered here rather than with a field selector: the mock server ignores spec.* selectors.
            List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                    .filter(p -> serviceAccount.equals(serviceAccountOf(p)))
                    .toList();
            List<PodWithoutCredentials> missing = new ArrayList<>();
            for (Pod pod : pods) {
                List<String> containers = containersWithoutCredentials(pod);
                if (!containers.isEmpty()) {
                    missing.add(new PodWithoutCredentials(pod.getMetadata().getName(), containers, owner(namespace, pod)));
                }
            }
            return new CredentialInjectionReport(namespace, serviceAccount, hasRole, pods.size(), missing);
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "check", e);
        }
    }

    /** Rolls a Deployment/StatefulSet/DaemonSet; anything else is reported as {@link Change.Action#KEPT}. */
    public Change restart(Workload workload) {
        if (!workload.restartable()) {
            return new Change(Change.Action.KEPT, workload.kind(), workload.namespace(), workload.name(),
                    List.of("cannot be rolled; delete and recreate its pods to get credentials"));
        }
        String at = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        ObjectNode patch = new ObjectMapper().createObjectNode();
        patch.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("metadata")
                .withObjectProperty("annotations").put(IrsaMetadata.RESTARTED_AT_ANNOTATION, at);
        String json = patch.toString();
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        String ns = workload.namespace();
        try {
            HasMetadata patched = switch (workload.kind()) {
                case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(workload.name()).patch(merge, json);
                case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(workload.name()).patch(merge, json);
                case "DaemonSet" -> client.apps().daemonSets().inNamespace(ns).withName(workload.name()).patch(merge, json);
                default -> throw new IllegalStateException(workload.kind());
            };
            Objects.requireNonNull(patched, "patched");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new Change(Change.Action.ALREADY_ABSENT, workload.kind(), ns, workload.name(), List.of());
            }
            throw ConflictRetry.failure(client, workload.toString(), "rollout restart", e);
        }
        LOG.info("rollout restart of {} at {}", workload, at);
        return new Change(Change.Action.UPDATED, workload.kind(), ns, workload.name(), List.of(IrsaMetadata.RESTARTED_AT_ANNOTATION + "=" + at));
    }

    private static String serviceAccountOf(Pod pod) {
        if (pod.getSpec() == null) {
            return "default";
        }
        String name = pod.getSpec().getServiceAccountName() != null ? pod.getSpec().getServiceAccountName() : pod.getSpec().getServiceAccount();
        return name == null ? "default" : name;
    }

    private static List<String> containersWithoutCredentials(Pod pod) {
        if (pod.getSpec() == null) {
            return List.of();
        }
        List<Container> containers = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream()).toList();
        List<String> out = new ArrayList<>();
        for (Container c : containers) {
            Set<String> env = c.getEnv() == null ? Set.of() : c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            if (!env.contains(IrsaMetadata.ENV_ROLE_ARN) || !env.contains(IrsaMetadata.ENV_WEB_IDENTITY_TOKEN_FILE)) {
                out.add(c.getName());
            }
        }
        return out;
    }

    /** Pod → ReplicaSet → Deployment, Pod → Job → CronJob, or the direct controller. */
    private Workload owner(String namespace, Pod pod) {
        OwnerReference ref = controllerOf(pod);
        if (ref == null) {
            return new Workload("Pod", namespace, pod.getMetadata().getName());
        }
        HasMetadata parent = switch (ref.getKind()) {
            case "ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).withName(ref.getName()).get();
            case "Job" -> client.batch().v1().jobs().inNamespace(namespace).withName(ref.getName()).get();
            default -> null;
        };
        if (parent != null) {
            OwnerReference grand = controllerOf(parent);
            if (grand != null && Set.of("Deployment", "CronJob").contains(grand.getKind())) {
                return new Workload(grand.getKind(), namespace, grand.getName());
            }
        }
        return new Workload(ref.getKind(), namespace, ref.getName());
    }

    private static OwnerReference controllerOf(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(refs.get(0));
    }
}
