package dev.irsa.binding;

import dev.irsa.policy.ServiceAccountRef;
import dev.irsa.validation.Validators;
import java.util.function.Consumer;

/**
 * The Kubernetes service account that may assume the role. {@code adopt}: take over an existing SA that
 * irsa did not create (otherwise the plan refuses it).
 */
public record ServiceAccountSpec(String namespace, String name, String audience, boolean adopt) {
    public static final String DEFAULT_AUDIENCE = "sts.amazonaws.com";

    public ServiceAccountSpec {
        Validators.namespace("serviceAccount.namespace", namespace);
        Validators.serviceAccountName("serviceAccount.name", name);
        audience = audience == null ? DEFAULT_AUDIENCE : Validators.notBlank("serviceAccount.audience", audience);
    }

    public static ServiceAccountSpec of(String namespace, String name) {
        return new ServiceAccountSpec(namespace, name, DEFAULT_AUDIENCE, false);
    }

    public static ServiceAccountSpec of(Consumer<Builder> sa) {
        Builder b = new Builder();
        sa.accept(b);
        return b.build();
    }

    public ServiceAccountRef ref() {
        return new ServiceAccountRef(namespace, name);
    }

    public ServiceAccountSpec withNamespace(String namespace) {
        return new ServiceAccountSpec(namespace, name, audience, adopt);
    }

    public static final class Builder {
        private String namespace;
        private String name;
        private String audience = DEFAULT_AUDIENCE;
        private boolean adopt;

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder adopt(boolean adopt) {
            this.adopt = adopt;
            return this;
        }

        public ServiceAccountSpec build() {
            return new ServiceAccountSpec(namespace, name, audience, adopt);
        }
    }
}
