package dev.irsa.binding;

import dev.irsa.Sleeper;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The executors a {@link RoleBinding} turns into plan resources, plus what {@code verify} needs: an STS
 * client (to exchange a service-account token), a sleeper and a bound for riding out IAM propagation.
 * Kubernetes is optional for {@link IdentityMode#GITLAB_OIDC} and for IAM-only plans.
 *
 * <pre>{@code
 * BindingBackends backends = BindingBackends.builder().aws(awsExecutor).kubernetes(k8s).sts(stsClient).build();
 * }</pre>
 */
public final class BindingBackends {
    private final AwsExecutor aws;
    private final KubernetesExecutor kubernetes;
    private final StsClient sts;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Duration propagationTimeout;

    private BindingBackends(Builder b) {
        this.aws = Objects.requireNonNull(b.aws, "aws executor");
        this.kubernetes = b.kubernetes;
        this.sts = b.sts;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.propagationTimeout = b.propagationTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static BindingBackends of(AwsExecutor aws, KubernetesExecutor kubernetes) {
        return builder().aws(aws).kubernetes(kubernetes).build();
    }

    public AwsExecutor aws() {
        return aws;
    }

    public Optional<KubernetesExecutor> kubernetes() {
        return Optional.ofNullable(kubernetes);
    }

    /** The Kubernetes executor, or a clear error naming what needs it. */
    public KubernetesExecutor requireKubernetes(String forWhat) {
        if (kubernetes == null) {
            throw new IllegalStateException("a KubernetesExecutor is needed for " + forWhat);
        }
        return kubernetes;
    }

    public Optional<StsClient> sts() {
        return Optional.ofNullable(sts);
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public Clock clock() {
        return clock;
    }

    /** How long verify keeps retrying AssumeRoleWithWebIdentity while IAM propagates a new role or trust. */
    public Duration propagationTimeout() {
        return propagationTimeout;
    }

    public static final class Builder {
        private AwsExecutor aws;
        private KubernetesExecutor kubernetes;
        private StsClient sts;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private Duration propagationTimeout = Duration.ofMinutes(2);

        private Builder() {
        }

        public Builder aws(AwsExecutor aws) {
            this.aws = aws;
            return this;
        }

        public Builder kubernetes(KubernetesExecutor kubernetes) {
            this.kubernetes = kubernetes;
            return this;
        }

        public Builder sts(StsClient sts) {
            this.sts = sts;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder propagationTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("propagationTimeout must not be negative");
            }
            this.propagationTimeout = timeout;
            return this;
        }

        public BindingBackends build() {
            return new BindingBackends(this);
        }
    }
}
