package dev.irsa.testing.helm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.irsa.SecretString;
import dev.irsa.gitlab.helm.HelmException;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.helm.HelmRelease;
import dev.irsa.gitlab.helm.HelmReleaseRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link HelmExecutor} that behaves like Helm for irsa's purposes: install fails when the
 * release exists, upgrade installs or bumps the revision, uninstall of a missing release is success,
 * status reports deployed/failed. It records every release's values (and secret values, for assertions)
 * and can fail the next calls or the k-th call. It also counts the rollouts a release's Deployment would see
 * ({@link #rollouts}): chart 0.86.0's pod template is a function of the values (directly, and through its
 * {@code checksum/configmap} annotation) and of inline tokens ({@code checksum/secrets} hashes secrets.yaml, which
 * renders only {@code runnerToken}/{@code runnerRegistrationToken}; with {@code runners.secret} it renders nothing),
 * so an upgrade changes the pod template, and Kubernetes rolls the pods, only when those differ from the last
 * revision's. {@code statusWithValues} is {@link HelmExecutor}'s default:
 * a {@code status} then a {@code values} call, the two reads {@code HelmJavaExecutor} makes through helm-java.
 *
 * <pre>{@code
 * FakeHelm helm = new FakeHelm();
 * helm.failNext("upgrade", 1, "timed out waiting for the condition");
 * }</pre>
 */
public final class FakeHelm implements HelmExecutor {
    /** Reads the values irsa sends (its own strict reader is irsa-gitlab's internal; a fake needs no limits). */
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    private final Map<String, StoredRelease> releases = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicInteger callNumber = new AtomicInteger();
    private final Map<String, Integer> rollouts = new LinkedHashMap<>();

    /** A release as the fake stores it. */
    public record StoredRelease(HelmRelease release, String values, Map<String, SecretString> secretValues, String chart,
                                Optional<String> description) {
    }

    private record Fault(String operation, int onCall, String message, AtomicInteger remaining) {
    }

    @Override
    public synchronized HelmRelease install(HelmReleaseRequest request) {
        enter("install", request.namespace() + "/" + request.releaseName());
        String key = key(request.releaseName(), request.namespace());
        if (releases.containsKey(key)) {
            throw new HelmException("helm install " + key + " failed: cannot re-use a name that is still in use");
        }
        return store(request, 1);
    }

    @Override
    public synchronized HelmRelease upgrade(HelmReleaseRequest request) {
        enter("upgrade", request.namespace() + "/" + request.releaseName());
        StoredRelease existing = releases.get(key(request.releaseName(), request.namespace()));
        return store(request, existing == null ? 1 : existing.release().revision() + 1);
    }

    @Override
    public synchronized void uninstall(String releaseName, String namespace) {
        enter("uninstall", namespace + "/" + releaseName);
        releases.remove(key(releaseName, namespace));
        rollouts.remove(key(releaseName, namespace));
    }

    @Override
    public synchronized Optional<HelmRelease> status(String releaseName, String namespace) {
        enter("status", namespace + "/" + releaseName);
        return Optional.ofNullable(releases.get(key(releaseName, namespace))).map(StoredRelease::release);
    }

    /**
     * Like {@code helm get values}: the user-supplied values of the release (its values YAML, with the
     * {@code --set} secret values merged in as Helm stores them), minus the secret keys, as
     * {@code HelmJavaExecutor} strips them.
     */
    @Override
    public synchronized Optional<Map<String, Object>> values(String releaseName, String namespace) {
        enter("values", namespace + "/" + releaseName);
        return Optional.ofNullable(releases.get(key(releaseName, namespace))).map(FakeHelm::userValues);
    }

    private static Map<String, Object> userValues(StoredRelease r) {
        Map<String, Object> supplied = new LinkedHashMap<>(parse(r.values()));
        r.secretValues().forEach((path, value) -> setPath(supplied, path.split("\\."), value.reveal()));
        return HelmExecutor.withoutSecrets(supplied, r.secretValues().keySet());
    }

    /** Renders nothing real: returns the values it would pass, so callers can assert on them. */
    @Override
    public synchronized String template(HelmReleaseRequest request) {
        enter("template", request.namespace() + "/" + request.releaseName());
        return request.values();
    }

    // ------------------------------------------------------------------ faults and inspection

    /** The next {@code times} calls of {@code operation} (install, upgrade, uninstall, status, values, template; null = any) fail. */
    public synchronized void failNext(String operation, int times, String message) {
        faults.add(new Fault(operation, 0, message, new AtomicInteger(times)));
    }

    /** The {@code k}-th call from now (1 = next) fails. */
    public synchronized void failCall(int k, String message) {
        faults.add(new Fault(null, callNumber.get() + k, message, new AtomicInteger(1)));
    }

    /** Removes pending faults. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    /** Forgets releases, calls and faults. */
    public synchronized void reset() {
        releases.clear();
        rollouts.clear();
        calls.clear();
        faults.clear();
        callNumber.set(0);
    }

    /** Marks a release failed, as after a timed-out install. */
    public synchronized void markFailed(String releaseName, String namespace) {
        StoredRelease r = releases.get(key(releaseName, namespace));
        if (r != null) {
            HelmRelease h = r.release();
            releases.put(key(releaseName, namespace), new StoredRelease(
                    new HelmRelease(h.name(), h.namespace(), "failed", h.revision(), h.chart(), h.appVersion()),
                    r.values(), r.secretValues(), r.chart(), r.description()));
        }
    }

    public synchronized Optional<StoredRelease> release(String releaseName, String namespace) {
        return Optional.ofNullable(releases.get(key(releaseName, namespace)));
    }

    public synchronized List<StoredRelease> releases() {
        return List.copyOf(releases.values());
    }

    /** Helm operations that only read: everything else (install, upgrade, uninstall) changes the cluster. */
    public static final java.util.Set<String> READ_OPERATIONS = java.util.Set.of("status", "values", "template");

    /** Whether a call as listed by {@link #calls()} changed something. */
    public static boolean isChanging(String call) {
        int space = call.indexOf(' ');
        return !READ_OPERATIONS.contains(space < 0 ? call : call.substring(0, space));
    }

    /** Calls as {@code "upgrade dev/app-dev-runner"}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private void enter(String operation, String target) {
        int n = callNumber.incrementAndGet();
        calls.add(operation + " " + target);
        for (Fault f : faults) {
            boolean matches = f.onCall() > 0 ? f.onCall() == n : (f.operation() == null || f.operation().equals(operation));
            if (matches && f.remaining().getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
                throw new HelmException("helm " + operation + " " + target + " failed: " + f.message());
            }
        }
    }

    private HelmRelease store(HelmReleaseRequest request, int revision) {
        HelmRelease release = new HelmRelease(request.releaseName(), request.namespace(), "deployed", revision,
                request.chart().toString(), null);
        String key = key(request.releaseName(), request.namespace());
        StoredRelease previous = releases.get(key);
        StoredRelease stored = new StoredRelease(release, request.values(), request.secretValues(), request.chart().toString(),
                request.description());
        if (previous == null || !podTemplateInputs(previous).equals(podTemplateInputs(stored))) {
            rollouts.merge(key, 1, Integer::sum);
        }
        releases.put(key, stored);
        return release;
    }

    /** What the chart renders the Deployment's pod template from: the values and the inline token values. */
    private static List<Object> podTemplateInputs(StoredRelease r) {
        Map<String, SecretString> inlineTokens = new LinkedHashMap<>(r.secretValues());
        inlineTokens.keySet().retainAll(java.util.Set.of("runnerToken", "runnerRegistrationToken"));
        return List.of(r.values() == null || r.values().isBlank() ? YAML.createObjectNode() : readTree(r.values()),
                inlineTokens);
    }

    /**
     * How many pod templates the release's Deployment has had: 1 after the install, one more for each upgrade that
     * changed it (each a rollout: new pods, which read the Secret afresh). 0 for a release never installed.
     */
    public synchronized int rollouts(String releaseName, String namespace) {
        return rollouts.getOrDefault(key(releaseName, namespace), 0);
    }

    private static Map<String, Object> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return Map.of();
        }
        JsonNode tree = readTree(yaml);
        return tree.isObject() ? YAML.convertValue(tree, new TypeReference<Map<String, Object>>() { }) : Map.of();
    }

    private static JsonNode readTree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("values are not YAML: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> map, String[] path, Object value) {
        Map<String, Object> current = map;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = current.get(path[i]);
            Map<String, Object> next = child instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
            current.put(path[i], next);
            current = next;
        }
        current.put(path[path.length - 1], value);
    }

    private static String key(String name, String namespace) {
        return namespace + "/" + name;
    }
}
