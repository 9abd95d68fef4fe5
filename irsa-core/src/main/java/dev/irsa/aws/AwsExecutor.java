package dev.irsa.aws;

import dev.irsa.Sleeper;
import dev.irsa.aws.internal.AwsCalls;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.util.Objects;

/**
 * irsa's AWS executor: one part per concern, all sharing the same clients and retry rules.
 *
 * <pre>{@code
 * AwsExecutor aws = AwsExecutor.create(AwsClients.builder().region("eu-west-1").build());
 * ClusterIdentity id = aws.identity().ofCluster("prod");
 * String providerArn = aws.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), Ownership.of("ci"), false).arn();
 * RoleExecutor.Result role = aws.roles().ensure(desiredRole, Ownership.of("ci"), false);
 * role.changes();   // empty on a re-apply that found nothing to change
 * }</pre>
 *
 * <p>Throttling and 5xx are retried by the SDK's standard strategy (clients from {@link AwsClients}) and
 * again by irsa with bounded backoff (for clients given by the caller); IAM eventual consistency after
 * a create is retried up to {@link RetryPolicy#consistencyBound()}. Time and waiting come from the
 * injected {@link Clock} and {@link Sleeper}.
 */
public final class AwsExecutor {
    private final ClusterIdentityExecutor identity;
    private final OidcProviderExecutor oidcProviders;
    private final RoleExecutor roles;
    private final PodIdentityExecutor podIdentity;
    private final PermissionSimulator permissions;

    private AwsExecutor(Builder b) {
        AwsCalls calls = new AwsCalls(b.clock, b.sleeper, b.retryPolicy);
        IamClient iam = Objects.requireNonNull(b.iam, "iam");
        StsClient sts = Objects.requireNonNull(b.sts, "sts");
        this.identity = new ClusterIdentityExecutor(b.eks, sts, calls);
        this.oidcProviders = new OidcProviderExecutor(iam, calls);
        this.roles = new RoleExecutor(iam, calls);
        this.podIdentity = new PodIdentityExecutor(b.eks, calls);
        this.permissions = new PermissionSimulator(iam, calls);
    }

    /** An executor over clients built from {@code clients}, with the system clock and real sleeping. */
    public static AwsExecutor create(AwsClients clients) {
        return builder().iam(clients.iam()).sts(clients.sts()).eks(clients.eks()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClusterIdentityExecutor identity() {
        return identity;
    }

    public OidcProviderExecutor oidcProviders() {
        return oidcProviders;
    }

    public RoleExecutor roles() {
        return roles;
    }

    public PodIdentityExecutor podIdentity() {
        return podIdentity;
    }

    /** Whether a principal may make the calls irsa makes ({@code iam:SimulatePrincipalPolicy}). */
    public PermissionSimulator permissions() {
        return permissions;
    }

    public static final class Builder {
        private IamClient iam;
        private StsClient sts;
        private EksClient eks;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

        private Builder() {
        }

        public Builder iam(IamClient iam) {
            this.iam = iam;
            return this;
        }

        public Builder sts(StsClient sts) {
            this.sts = sts;
            return this;
        }

        /** Optional: needed for {@code identity().ofCluster} and Pod Identity. */
        public Builder eks(EksClient eks) {
            this.eks = eks;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        public AwsExecutor build() {
            return new AwsExecutor(this);
        }
    }
}
