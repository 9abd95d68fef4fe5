package dev.irsa.testing.aws;

import dev.irsa.Sleeper;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.*;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An in-memory EKS for what irsa uses: {@code DescribeCluster} (whose {@code identity.oidc.issuer} is a
 * {@link FakeOidcIssuer}'s issuer) and pod identity associations (create, describe, list, update,
 * delete, tags) with EKS's errors: {@code ResourceInUseException} (409) for a second association of the
 * same service account, {@code ResourceNotFoundException} (404), {@code InvalidParameterException} (400).
 * Calls are counted and faults injected like the other fakes.
 *
 * <pre>{@code
 * FakeEks eks = FakeEks.builder().region("eu-west-1").build();
 * eks.addCluster("prod", issuer);
 * eks.describeCluster(b -> b.name("prod")).cluster().identity().oidc().issuer();  // issuer.issuerUrl()
 * }</pre>
 */
public final class FakeEks extends FakeAwsService implements EksClient {
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");

    private final String region;
    private final String partition;
    private final String accountId;
    private final Random random;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Map<String, PodIdentityAssociation> associations = new LinkedHashMap<>(); // key: associationId

    private FakeEks(Builder b) {
        super("eks", b.clock, b.sleeper, FakeEks::error);
        this.region = b.region;
        this.partition = partitionOf(b.region);
        this.accountId = b.accountId;
        this.random = new Random(b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds an ACTIVE cluster whose OIDC issuer is {@code issuer}'s. */
    public FakeEks addCluster(String name, FakeOidcIssuer issuer) {
        return addCluster(name, issuer.issuerUrl());
    }

    public synchronized FakeEks addCluster(String name, String issuerUrl) {
        clusters.put(name, Cluster.builder()
                .name(name)
                .arn("arn:" + partition + ":eks:" + region + ":" + accountId + ":cluster/" + name)
                .status(ClusterStatus.ACTIVE)
                .version("1.31")
                .createdAt(clock.instant())
                .endpoint("https://" + HexFormat.of().withUpperCase().formatHex(randomBytes(16)) + ".gr7." + region + ".eks.amazonaws.com")
                .identity(Identity.builder().oidc(OIDC.builder().issuer(issuerUrl).build()).build())
                .certificateAuthority(Certificate.builder().data(Base64.getEncoder().encodeToString("fake-ca".getBytes(StandardCharsets.UTF_8))).build())
                .build());
        return this;
    }

    /** All associations, for assertions (not counted as calls). */
    public synchronized List<PodIdentityAssociation> podIdentityAssociations() {
        return List.copyOf(associations.values());
    }

    /** Forgets pod identity associations; registered clusters stay. */
    @Override
    protected void clearState() {
        associations.clear();
    }

    @Override
    public String serviceName() {
        return "eks";
    }

    @Override
    public DescribeClusterResponse describeCluster(DescribeClusterRequest req) {
        return invoke("DescribeCluster", () -> DescribeClusterResponse.builder().cluster(cluster(req.name())).build());
    }

    @Override
    public ListClustersResponse listClusters(ListClustersRequest req) {
        return invoke("ListClusters", () -> ListClustersResponse.builder().clusters(List.copyOf(clusters.keySet())).build());
    }

    @Override
    public CreatePodIdentityAssociationResponse createPodIdentityAssociation(CreatePodIdentityAssociationRequest req) {
        return invoke("CreatePodIdentityAssociation", () -> {
            Cluster c = cluster(req.clusterName());
            require(req.namespace(), "namespace");
            require(req.serviceAccount(), "serviceAccount");
            require(req.roleArn(), "roleArn");
            if (!ROLE_ARN.matcher(req.roleArn()).matches()) {
                throw error("InvalidParameterException", 400, "Role ARN " + req.roleArn() + " is not a valid IAM role ARN");
            }
            Optional<PodIdentityAssociation> existing = associations.values().stream()
                    .filter(a -> a.clusterName().equals(c.name()) && a.namespace().equals(req.namespace()) && a.serviceAccount().equals(req.serviceAccount()))
                    .findFirst();
            if (existing.isPresent()) {
                throw error("ResourceInUseException", 409, "Association already exists: " + existing.get().associationId());
            }
            String id = "a-" + HexFormat.of().formatHex(randomBytes(9)).substring(0, 17);
            Instant now = clock.instant();
            PodIdentityAssociation a = PodIdentityAssociation.builder()
                    .clusterName(c.name()).namespace(req.namespace()).serviceAccount(req.serviceAccount()).roleArn(req.roleArn())
                    .associationId(id).associationArn("arn:" + partition + ":eks:" + region + ":" + accountId + ":podidentityassociation/" + c.name() + "/" + id)
                    .tags(req.hasTags() ? Map.copyOf(req.tags()) : Map.of()).createdAt(now).modifiedAt(now)
                    .disableSessionTags(Boolean.TRUE.equals(req.disableSessionTags()))
                    .build();
            associations.put(id, a);
            return CreatePodIdentityAssociationResponse.builder().association(a).build();
        });
    }

    @Override
    public DescribePodIdentityAssociationResponse describePodIdentityAssociation(DescribePodIdentityAssociationRequest req) {
        return invoke("DescribePodIdentityAssociation", () -> DescribePodIdentityAssociationResponse.builder()
                .association(association(req.clusterName(), req.associationId())).build());
    }

    @Override
    public ListPodIdentityAssociationsResponse listPodIdentityAssociations(ListPodIdentityAssociationsRequest req) {
        return invoke("ListPodIdentityAssociations", () -> {
            Cluster c = cluster(req.clusterName());
            int max = req.maxResults() == null ? 100 : req.maxResults();
            if (max < 1 || max > 100) {
                throw error("InvalidParameterException", 400, "maxResults must be between 1 and 100");
            }
            List<PodIdentityAssociationSummary> all = new ArrayList<>();
            for (PodIdentityAssociation a : associations.values()) {
                if (a.clusterName().equals(c.name())
                        && (req.namespace() == null || req.namespace().equals(a.namespace()))
                        && (req.serviceAccount() == null || req.serviceAccount().equals(a.serviceAccount()))) {
                    all.add(PodIdentityAssociationSummary.builder().clusterName(a.clusterName()).namespace(a.namespace())
                            .serviceAccount(a.serviceAccount()).associationArn(a.associationArn()).associationId(a.associationId()).build());
                }
            }
            int start = req.nextToken() == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(req.nextToken()), StandardCharsets.UTF_8));
            int end = Math.min(all.size(), start + max);
            String next = end < all.size() ? Base64.getEncoder().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null;
            return ListPodIdentityAssociationsResponse.builder().associations(start >= all.size() ? List.of() : all.subList(start, end)).nextToken(next).build();
        });
    }

    @Override
    public UpdatePodIdentityAssociationResponse updatePodIdentityAssociation(UpdatePodIdentityAssociationRequest req) {
        return invoke("UpdatePodIdentityAssociation", () -> {
            PodIdentityAssociation a = association(req.clusterName(), req.associationId());
            PodIdentityAssociation.Builder b = a.toBuilder().modifiedAt(clock.instant());
            if (req.roleArn() != null) {
                if (!ROLE_ARN.matcher(req.roleArn()).matches()) {
                    throw error("InvalidParameterException", 400, "Role ARN " + req.roleArn() + " is not a valid IAM role ARN");
                }
                b.roleArn(req.roleArn());
            }
            if (req.disableSessionTags() != null) {
                b.disableSessionTags(req.disableSessionTags());
            }
            PodIdentityAssociation updated = b.build();
            associations.put(updated.associationId(), updated);
            return UpdatePodIdentityAssociationResponse.builder().association(updated).build();
        });
    }

    @Override
    public DeletePodIdentityAssociationResponse deletePodIdentityAssociation(DeletePodIdentityAssociationRequest req) {
        return invoke("DeletePodIdentityAssociation", () -> {
            PodIdentityAssociation a = association(req.clusterName(), req.associationId());
            associations.remove(a.associationId());
            return DeletePodIdentityAssociationResponse.builder().association(a).build();
        });
    }

    @Override
    public TagResourceResponse tagResource(TagResourceRequest req) {
        return invoke("TagResource", () -> {
            PodIdentityAssociation a = byArn(req.resourceArn());
            Map<String, String> tags = new LinkedHashMap<>(a.tags());
            tags.putAll(req.tags());
            if (tags.size() > 50) {
                throw error("BadRequestException", 400, "Maximum of 50 tags per resource");
            }
            associations.put(a.associationId(), a.toBuilder().tags(tags).build());
            return TagResourceResponse.builder().build();
        });
    }

    @Override
    public UntagResourceResponse untagResource(UntagResourceRequest req) {
        return invoke("UntagResource", () -> {
            PodIdentityAssociation a = byArn(req.resourceArn());
            Map<String, String> tags = new LinkedHashMap<>(a.tags());
            req.tagKeys().forEach(tags::remove);
            associations.put(a.associationId(), a.toBuilder().tags(tags).build());
            return UntagResourceResponse.builder().build();
        });
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest req) {
        return invoke("ListTagsForResource", () -> ListTagsForResourceResponse.builder().tags(byArn(req.resourceArn()).tags()).build());
    }

    private Cluster cluster(String name) {
        require(name, "name");
        Cluster c = clusters.get(name);
        if (c == null) {
            throw error("ResourceNotFoundException", 404, "No cluster found for name: " + name + ".");
        }
        return c;
    }

    private PodIdentityAssociation association(String clusterName, String id) {
        cluster(clusterName);
        require(id, "associationId");
        PodIdentityAssociation a = associations.get(id);
        if (a == null || !a.clusterName().equals(clusterName)) {
            throw error("ResourceNotFoundException", 404, "No Pod Identity Association found with id " + id + " in cluster " + clusterName);
        }
        return a;
    }

    private PodIdentityAssociation byArn(String arn) {
        return associations.values().stream().filter(a -> a.associationArn().equals(arn)).findFirst()
                .orElseThrow(() -> error("NotFoundException", 404, "Resource " + arn + " not found"));
    }

    private static void require(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw error("InvalidParameterException", 400, field + " is required");
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The partition a region belongs to, as in the ARNs EKS returns there (e.g. {@code cn-north-1} is {@code aws-cn}). */
    static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-iso-")) {
            return "aws-iso";
        }
        return "aws";
    }

    /** EKS's own exception type for an error code, as the SDK would unmarshal it. */
    static EksException error(String code, int status, String message) {
        EksException.Builder b = switch (code) {
            case "ResourceNotFoundException" -> ResourceNotFoundException.builder();
            case "ResourceInUseException" -> ResourceInUseException.builder();
            case "InvalidParameterException" -> InvalidParameterException.builder();
            case "InvalidRequestException" -> InvalidRequestException.builder();
            case "ServerException" -> ServerException.builder();
            case "ThrottlingException" -> ThrottlingException.builder();
            case "NotFoundException" -> NotFoundException.builder();
            case "BadRequestException" -> BadRequestException.builder();
            case "AccessDeniedException" -> AccessDeniedException.builder();
            default -> EksException.builder();
        };
        b.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("EKS").build());
        return (EksException) b.build();
    }

    /** Builds a {@link FakeEks}; everything optional. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> { };
        private String region = "eu-west-1";
        private String accountId = "123456789012";
        private long seed = 11;

        private Builder() {
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FakeEks build() {
            return new FakeEks(this);
        }
    }
}
