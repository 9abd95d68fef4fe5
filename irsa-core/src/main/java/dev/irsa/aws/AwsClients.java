package dev.irsa.aws;

import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Services;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the IAM, STS and EKS clients irsa uses: {@code url-connection-client}, the SDK's standard
 * retry strategy (throttling and 5xx), the default credentials chain unless told otherwise, and an
 * optional endpoint override (e.g. a moto server on loopback).
 *
 * <pre>{@code
 * AwsClients clients = AwsClients.builder().region("eu-west-1").build();
 * AwsClients local = AwsClients.builder().region("us-east-1")
 *         .endpointOverride(URI.create("http://127.0.0.1:5000"))
 *         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
 *         .build();
 * IamClient iam = local.iam();
 * }</pre>
 *
 * <p>IAM is a global service: without an endpoint override its client is built for the partition's
 * global region ({@code aws-global}, {@code aws-cn-global}, {@code aws-us-gov-global}).
 *
 * <p>With {@link Builder#budget(ExecutionBudget)}, every request the clients send (each attempt, the SDK's
 * own retries included) first takes a token of the budget's rate limit for {@link Services#IAM},
 * {@link Services#STS} or {@link Services#EKS}, so the limit holds per request rather than per resource
 * operation:
 *
 * <pre>{@code
 * ExecutionBudget budget = ExecutionBudget.create(b -> b.rateLimit(Services.IAM, RateLimit.perSecond(10)));
 * AwsClients clients = AwsClients.builder().region("eu-west-1").budget(budget).build();
 * IamClient iam = clients.iam();   // from here on, IAM is limited per request, not per operation
 * }</pre>
 */
public final class AwsClients {
    private final Region region;
    private final AwsCredentialsProvider credentialsProvider;
    private final URI endpointOverride;
    private final ExecutionBudget budget;

    private AwsClients(Builder b) {
        this.region = Region.of(Validators.region("aws.region", Objects.requireNonNull(b.region, "region")));
        this.credentialsProvider = b.credentialsProvider != null ? b.credentialsProvider : DefaultCredentialsProvider.builder().build();
        this.endpointOverride = b.endpointOverride;
        this.budget = b.budget;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Region region() {
        return region;
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpointOverride);
    }

    /** The budget whose rate limits meter every request, if one was given. */
    public Optional<ExecutionBudget> budget() {
        return Optional.ofNullable(budget);
    }

    /** A new IAM client; with a {@linkplain Builder#budget budget}, IAM is limited per request from now on. */
    public IamClient iam() {
        // IAM is global: without an override its signing region is the partition's global one.
        return configure(IamClient.builder(), endpointOverride != null ? region : globalRegionFor(region), Services.IAM);
    }

    /** A new STS client; with a {@linkplain Builder#budget budget}, STS is limited per request from now on. */
    public StsClient sts() {
        return configure(StsClient.builder(), region, Services.STS);
    }

    /** A new EKS client; with a {@linkplain Builder#budget budget}, EKS is limited per request from now on. */
    public EksClient eks() {
        return configure(EksClient.builder(), region, Services.EKS);
    }

    /**
     * An SDK interceptor that calls {@code meter.beforeRequest()} before every request attempt (the SDK's
     * {@code beforeTransmission}, which runs again for each retry), for clients built some other way:
     * {@code IamClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(AwsClients.metering(budget.meterRequests(Services.IAM))))}.
     */
    public static ExecutionInterceptor metering(ExecutionBudget.RequestMeter meter) {
        return new MeteringInterceptor(Objects.requireNonNull(meter, "meter"));
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, Region clientRegion,
                                                                                          String service) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentialsProvider)
                .overrideConfiguration(overrides(service))
                .region(clientRegion);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }

    private ClientOverrideConfiguration overrides(String service) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy());
        if (budget != null) {
            overrides.addExecutionInterceptor(metering(budget.meterRequests(service)));
        }
        return overrides.build();
    }

    /** Takes a rate-limit token per attempt: beforeTransmission runs once per attempt, right before sending. */
    private static final class MeteringInterceptor implements ExecutionInterceptor {
        private final ExecutionBudget.RequestMeter meter;

        MeteringInterceptor(ExecutionBudget.RequestMeter meter) {
            this.meter = meter;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
            meter.beforeRequest(changes(executionAttributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
        }

        @Override
        public String toString() {
            return "metering " + meter;
        }
    }

    /** Whether an AWS operation changes something: all but {@code Get*}, {@code List*} and {@code Describe*} (unknown: yes). */
    public static boolean changes(String operationName) {
        return operationName == null || !(operationName.startsWith("Get") || operationName.startsWith("List")
                || operationName.startsWith("Describe"));
    }

    static Region globalRegionFor(Region region) {
        String id = region.id();
        if (id.startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        if (id.startsWith("us-gov-")) {
            return Region.AWS_US_GOV_GLOBAL;
        }
        return Region.AWS_GLOBAL;
    }

    public static final class Builder {
        private String region;
        private AwsCredentialsProvider credentialsProvider;
        private URI endpointOverride;
        private ExecutionBudget budget;

        private Builder() {
        }

        /** The region of STS and EKS calls, e.g. {@code eu-west-1}. Required. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Credentials; the SDK's default chain (env, profile, web identity, container, instance) when unset. */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = credentialsProvider;
            return this;
        }

        /** Send every call to this endpoint (one endpoint for IAM, STS and EKS, as moto serves). */
        public Builder endpointOverride(URI endpointOverride) {
            this.endpointOverride = endpointOverride;
            return this;
        }

        /**
         * Meter every request of the clients built from now on against this budget's rate limits (one token
         * per attempt against the service's rate limit, and for an operation other than Get/List/Describe also
         * one against its write limit). Pass the same budget to the {@code Planner} and {@code Applier}: the engine then no
         * longer takes a token per resource operation for IAM, STS and EKS. Unset: no per-request limit.
         */
        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        public AwsClients build() {
            return new AwsClients(this);
        }
    }
}
