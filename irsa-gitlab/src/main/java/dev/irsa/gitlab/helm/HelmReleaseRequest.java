package dev.irsa.gitlab.helm;

import dev.irsa.SecretString;
import dev.irsa.validation.Validators;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to install: release, namespace, chart, values (YAML without secrets) and secret values that are
 * handed to Helm directly ({@code --set}), never written to a file or shown by {@link #toString()}.
 */
public final class HelmReleaseRequest {
    private final String releaseName;
    private final String namespace;
    private final HelmChart chart;
    private final String values;
    private final Map<String, SecretString> secretValues;
    private final boolean createNamespace;
    private final int timeoutSeconds;
    private final boolean waitReady;
    private final String description;

    private HelmReleaseRequest(Builder b) {
        this.releaseName = Validators.helmReleaseName("helm.releaseName", b.releaseName);
        this.namespace = Validators.namespace("helm.namespace", b.namespace);
        this.chart = Objects.requireNonNull(b.chart, "chart");
        this.values = b.values == null ? "" : b.values;
        this.secretValues = Map.copyOf(b.secretValues);
        this.createNamespace = b.createNamespace;
        if (b.timeoutSeconds < 1) {
            throw new dev.irsa.ValidationException("helm.timeoutSeconds", b.timeoutSeconds, "must be 1 or more");
        }
        this.timeoutSeconds = b.timeoutSeconds;
        this.waitReady = b.waitReady;
        this.description = b.description;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String releaseName() {
        return releaseName;
    }

    public String namespace() {
        return namespace;
    }

    public HelmChart chart() {
        return chart;
    }

    /** Values as YAML; never contains secrets. */
    public String values() {
        return values;
    }

    public Map<String, SecretString> secretValues() {
        return secretValues;
    }

    public boolean createNamespace() {
        return createNamespace;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public boolean waitReady() {
        return waitReady;
    }

    /** The revision's description ({@code helm install --description}), shown by {@code helm history}. */
    public java.util.Optional<String> description() {
        return java.util.Optional.ofNullable(description);
    }

    @Override
    public String toString() {
        return "HelmReleaseRequest{" + namespace + "/" + releaseName + ", chart=" + chart
                + ", secretValues=" + secretValues.keySet() + "}";
    }

    public static final class Builder {
        private String releaseName;
        private String namespace;
        private HelmChart chart = HelmChart.gitlabRunner();
        private String values;
        private final Map<String, SecretString> secretValues = new LinkedHashMap<>();
        private boolean createNamespace;
        private int timeoutSeconds = 300;
        private boolean waitReady;
        private String description;

        private Builder() {
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder releaseName(String releaseName) {
            this.releaseName = releaseName;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder chart(HelmChart chart) {
            this.chart = chart;
            return this;
        }

        public Builder values(String yaml) {
            this.values = yaml;
            return this;
        }

        public Builder secretValues(Map<String, SecretString> secretValues) {
            this.secretValues.putAll(secretValues);
            return this;
        }

        public Builder createNamespace(boolean createNamespace) {
            this.createNamespace = createNamespace;
            return this;
        }

        public Builder timeoutSeconds(int timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        public Builder waitReady(boolean waitReady) {
            this.waitReady = waitReady;
            return this;
        }

        public HelmReleaseRequest build() {
            return new HelmReleaseRequest(this);
        }
    }
}
