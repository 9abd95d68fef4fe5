package dev.irsa.gitlab.helm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.validation.Validators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link HelmExecutor} over helm-java (Helm embedded as a native library; needs the platform jar, e.g.
 * {@code com.marcnuri.helm-java:linux-amd64}, and works offline with
 * {@code -Dcom.marcnuri.jkube-helm.skipRemoteJar=true}).
 *
 * <p>Values (no secrets) go through a temporary values file that is deleted afterwards; secret values go
 * through {@code --set} in memory, and are scrubbed from any error Helm reports.
 */
public final class HelmJavaExecutor implements HelmExecutor {
    private final SecretString kubeConfigContents;

    /** For {@link #template} only, or when the process's default kube config is meant. */
    public HelmJavaExecutor() {
        this.kubeConfigContents = null;
    }

    /** @param kubeConfigContents the kube config YAML (it carries credentials, hence a SecretString) */
    public HelmJavaExecutor(SecretString kubeConfigContents) {
        this.kubeConfigContents = Objects.requireNonNull(kubeConfigContents, "kubeConfigContents");
    }

    @Override
    public HelmRelease install(HelmReleaseRequest request) {
        return withValuesFile(request, values -> {
            InstallCommand cmd = request.chart().localPath().map(p -> new Helm(p).install())
                    .orElseGet(() -> Helm.install(request.chart().reference().orElseThrow()))
                    .withName(request.releaseName()).withNamespace(request.namespace())
                    .withTimeout(request.timeoutSeconds());
            request.chart().version().ifPresent(cmd::withVersion);
            request.description().ifPresent(cmd::withDescription);
            if (values != null) {
                cmd.withValuesFile(values);
            }
            request.secretValues().forEach((k, v) -> cmd.set(k, v.reveal()));
            if (request.createNamespace()) {
                cmd.createNamespace();
            }
            if (request.waitReady()) {
                cmd.waitReady();
            }
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            return map(cmd.call());
        }, "install");
    }

    @Override
    public HelmRelease upgrade(HelmReleaseRequest request) {
        return withValuesFile(request, values -> {
            UpgradeCommand cmd = request.chart().localPath().map(p -> new Helm(p).upgrade())
                    .orElseGet(() -> Helm.upgrade(request.chart().reference().orElseThrow()))
                    .install().withName(request.releaseName()).withNamespace(request.namespace())
                    .withTimeout(request.timeoutSeconds()).resetValues();
            request.chart().version().ifPresent(cmd::withVersion);
            request.description().ifPresent(cmd::withDescription);
            if (values != null) {
                cmd.withValuesFile(values);
            }
            request.secretValues().forEach((k, v) -> cmd.set(k, v.reveal()));
            if (request.createNamespace()) {
                cmd.createNamespace();
            }
            if (request.waitReady()) {
                cmd.waitReady();
            }
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            return map(cmd.call());
        }, "upgrade");
    }

    @Override
    public void uninstall(String releaseName, String namespace) {
        Validators.helmReleaseName("helm.releaseName", releaseName);
        Validators.namespace("helm.namespace", namespace);
        try {
            var cmd = Helm.uninstall(releaseName).withNamespace(namespace).ignoreNotFound();
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            cmd.call();
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                return;
            }
            throw new HelmException("helm uninstall " + namespace + "/" + releaseName + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<HelmRelease> status(String releaseName, String namespace) {
        Validators.helmReleaseName("helm.releaseName", releaseName);
        Validators.namespace("helm.namespace", namespace);
        try {
            var cmd = Helm.status(releaseName).withNamespace(namespace);
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            return Optional.of(map(cmd.call()));
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw new HelmException("helm status " + namespace + "/" + releaseName + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Two structured reads: {@code helm status} for the release (its revision), then {@code helm get values
     * --revision <that revision>} for the user-supplied values of that same revision, so an upgrade between
     * the reads cannot pair one revision's status with another's values. helm-java 0.0.21's status offers
     * no output format (its report is text meant for people), while its {@code get values} returns the
     * release's config as YAML (sigs.k8s.io/yaml, the map {@code helm get values -o yaml|json} prints).
     * Empty when the release, or that revision, is gone by the second read.
     */
    @Override
    public Optional<HelmReleaseWithValues> statusWithValues(String releaseName, String namespace) {
        Optional<HelmRelease> status = status(releaseName, namespace);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return valuesAt(releaseName, namespace, status.get().revision())
                .map(values -> new HelmReleaseWithValues(status.get(), values));
    }

    @Override
    public Optional<Map<String, Object>> values(String releaseName, String namespace) {
        Validators.helmReleaseName("helm.releaseName", releaseName);
        Validators.namespace("helm.namespace", namespace);
        return valuesAt(releaseName, namespace, 0);
    }

    /** {@code helm get values} of {@code revision} (0 = the latest), secret keys stripped. */
    private Optional<Map<String, Object>> valuesAt(String releaseName, String namespace, int revision) {
        String document;
        try {
            var cmd = Helm.get(releaseName).values().withNamespace(namespace);
            if (revision > 0) {
                cmd.withRevision(revision);
            }
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            document = cmd.call();
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            // the cause is left out: nothing Helm returned about this release's values may leak into a log
            throw new HelmException("helm get values " + namespace + "/" + releaseName + " failed: "
                    + firstLine(e.getMessage()));
        }
        return Optional.of(HelmExecutor.withoutSecrets(userSuppliedValues(document, namespace + "/" + releaseName), Set.of()));
    }

    /**
     * The user-supplied values from {@code helm get values} output, YAML or JSON ({@code -o json} is a
     * YAML document too), read by Jackson. A release installed without values prints {@code null} or
     * {@code {}}: no values. A document that is not a map is an error that shows none of the document.
     */
    static Map<String, Object> userSuppliedValues(String document, String release) {
        JsonNode tree;
        try {
            tree = Yaml.read(document == null ? "" : document);
        } catch (RuntimeException e) {
            throw new HelmException("helm get values " + release + ": the values are not YAML or JSON");
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return Map.of();
        }
        if (!tree.isObject()) {
            throw new HelmException("helm get values " + release + ": the values are a " + tree.getNodeType()
                    + ", not a map");
        }
        return Yaml.MAPPER.convertValue(tree, new TypeReference<Map<String, Object>>() { });
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String template(HelmReleaseRequest request) {
        return withValuesFile(request, values -> {
            TemplateCommand cmd = request.chart().localPath().map(p -> new Helm(p).template())
                    .orElseGet(() -> Helm.template(request.chart().reference().orElseThrow()))
                    .withName(request.releaseName()).withNamespace(request.namespace());
            request.chart().version().ifPresent(cmd::withVersion);
            if (values != null) {
                cmd.withValuesFile(values);
            }
            request.secretValues().forEach((k, v) -> cmd.set(k, v.reveal()));
            return cmd.call();
        }, "template");
    }

    private static boolean isNotFound(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("not found");
    }

    private static HelmRelease map(Release r) {
        int revision;
        try {
            revision = Integer.parseInt(r.getRevision());
        } catch (NumberFormatException | NullPointerException e) {
            revision = 0;
        }
        return new HelmRelease(r.getName(), r.getNamespace(), String.valueOf(r.getStatus()), revision, r.getChart(), r.getAppVersion());
    }

    private <T> T withValuesFile(HelmReleaseRequest request, Function<Path, T> action, String verb) {
        Path file = null;
        try {
            if (!request.values().isBlank()) {
                file = Files.createTempFile("irsa-helm-values-", ".yaml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, request.values());
            }
            return action.apply(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IrsaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HelmException("helm " + verb + " " + request.namespace() + "/" + request.releaseName() + " ("
                    + request.chart() + ") failed: " + scrub(e.getMessage(), request.secretValues()), scrubbed(e, request.secretValues()));
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover values file holds no secrets
                }
            }
        }
    }

    private static String scrub(String message, Map<String, SecretString> secrets) {
        String m = String.valueOf(message);
        for (SecretString s : secrets.values()) {
            if (!s.isEmpty()) {
                m = m.replace(s.reveal(), "****");
            }
        }
        return m;
    }

    /** The cause is kept only when it cannot carry a secret value. */
    private static Throwable scrubbed(RuntimeException e, Map<String, SecretString> secrets) {
        String m = String.valueOf(e.getMessage());
        for (SecretString s : secrets.values()) {
            if (!s.isEmpty() && m.contains(s.reveal())) {
                return null;
            }
        }
        return e;
    }
}
