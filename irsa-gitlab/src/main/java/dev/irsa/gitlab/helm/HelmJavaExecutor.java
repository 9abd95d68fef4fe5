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
     * One {@code helm status} with helm-java's {@code debug()}: besides the status lines, Helm's status
     * report then prints {@code USER-SUPPLIED VALUES:} (the release's config, what {@code helm get values}
     * returns) and {@code COMPUTED VALUES:}. Only the user-supplied block is parsed; secret keys are
     * stripped; nothing of the report reaches a message or a log.
     */
    @Override
    public Optional<HelmReleaseWithValues> statusWithValues(String releaseName, String namespace) {
        Validators.helmReleaseName("helm.releaseName", releaseName);
        Validators.namespace("helm.namespace", namespace);
        Release release;
        try {
            var cmd = Helm.status(releaseName).withNamespace(namespace).debug();
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            release = cmd.call();
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            // the cause is left out: a failure while reading the report must not carry its values into a log
            throw new HelmException("helm status " + namespace + "/" + releaseName + " failed: " + firstLine(e.getMessage()));
        }
        Map<String, Object> values = userSuppliedValues(release.getOutput(), namespace + "/" + releaseName);
        return Optional.of(new HelmReleaseWithValues(map(release), HelmExecutor.withoutSecrets(values, Set.of())));
    }

    static final String USER_SUPPLIED_HEADER = "USER-SUPPLIED VALUES:\n";
    static final String COMPUTED_HEADER = "\nCOMPUTED VALUES:\n";

    /**
     * The {@code USER-SUPPLIED VALUES:} block of Helm's debug status report (helm-java's
     * {@code StatusReport}: the status lines, then the user-supplied values YAML and an empty line, then
     * {@code COMPUTED VALUES:}). The block ends at the first unindented {@code COMPUTED VALUES:} line after
     * an empty line: inside the YAML, multi-line strings are indented, so only a top-level values key of
     * that exact name could end it early.
     */
    static Map<String, Object> userSuppliedValues(String report, String release) {
        String out = report == null ? "" : report;
        int header = out.startsWith(USER_SUPPLIED_HEADER) ? 0 : out.indexOf("\n" + USER_SUPPLIED_HEADER);
        if (header < 0) {
            throw new HelmException("helm status " + release + ": the report has no user-supplied values "
                    + "(helm-java did not print its debug report)");
        }
        int start = out.indexOf(USER_SUPPLIED_HEADER, header) + USER_SUPPLIED_HEADER.length();
        int end = out.indexOf("\n" + COMPUTED_HEADER, start - 1);
        if (end < 0) {
            throw new HelmException("helm status " + release + ": the user-supplied values block is not terminated");
        }
        String yaml = out.substring(start, end + 1);
        JsonNode tree;
        try {
            tree = Yaml.read(yaml);
        } catch (RuntimeException e) {
            throw new HelmException("helm status " + release + ": the user-supplied values are not YAML");
        }
        if (tree == null || !tree.isObject()) {
            return Map.of(); // a release installed without values: Helm prints "null" / "{}"
        }
        return Yaml.MAPPER.convertValue(tree, new TypeReference<Map<String, Object>>() { });
    }

    @Override
    public Optional<Map<String, Object>> values(String releaseName, String namespace) {
        Validators.helmReleaseName("helm.releaseName", releaseName);
        Validators.namespace("helm.namespace", namespace);
        String yaml;
        try {
            var cmd = Helm.get(releaseName).values().withNamespace(namespace);
            if (kubeConfigContents != null) {
                cmd.withKubeConfigContents(kubeConfigContents.reveal());
            }
            yaml = cmd.call();
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            // the cause is left out: nothing Helm returned about this release's values may leak into a log
            throw new HelmException("helm get values " + namespace + "/" + releaseName + " failed: "
                    + firstLine(e.getMessage()));
        }
        JsonNode tree = Yaml.read(yaml == null ? "" : yaml);
        if (!tree.isObject()) {
            return Optional.of(Map.of()); // a release installed without values: Helm prints "null" / "{}"
        }
        Map<String, Object> values = Yaml.MAPPER.convertValue(tree, new TypeReference<Map<String, Object>>() { });
        return Optional.of(HelmExecutor.withoutSecrets(values, Set.of()));
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
