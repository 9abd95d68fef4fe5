package dev.irsa.aws;

import dev.irsa.validation.Validators;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
 */
public final class AwsClients {
    private final Region region;
    private final AwsCredentialsProvider credentialsProvider;
    private final URI endpointOverride;

    private AwsClients(Builder b) {
        this.region = Region.of(Validators.region("aws.region", Objects.requireNonNull(b.region, "region")));
        this.credentialsProvider = b.credentialsProvider != null ? b.credentialsProvider : DefaultCredentialsProvider.builder().build();
        this.endpointOverride = b.endpointOverride;
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

    public IamClient iam() {
        // IAM is global: without an override its signing region is the partition's global one.
        return configure(IamClient.builder(), endpointOverride != null ? region : globalRegionFor(region));
    }

    public StsClient sts() {
        return configure(StsClient.builder(), region);
    }

    public EksClient eks() {
        return configure(EksClient.builder(), region);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, Region clientRegion) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentialsProvider)
                .overrideConfiguration(overrides())
                .region(clientRegion);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.standardRetryStrategy()).build();
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

        public AwsClients build() {
            return new AwsClients(this);
        }
    }
}
