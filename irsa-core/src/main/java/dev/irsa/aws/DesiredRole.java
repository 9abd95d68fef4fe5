package dev.irsa.aws;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An IAM role as irsa wants it: trust policy, path, description, max session duration, permissions
 * boundary, tags, inline policies (name → JSON) and managed policy ARNs — the last two converged to
 * exactly this set. Validated on build, before any remote call.
 *
 * <pre>{@code
 * DesiredRole role = DesiredRole.builder()
 *         .name("ci-deployer").path("/irsa/")
 *         .trustPolicyJson(trust.toJson())
 *         .putInlinePolicy("deploy", permissions.toJson())
 *         .addManagedPolicyArn("arn:aws:iam::aws:policy/ReadOnlyAccess")
 *         .build();
 * }</pre>
 */
public record DesiredRole(
        String name,
        String path,
        String description,
        int maxSessionDurationSeconds,
        String permissionsBoundaryArn,
        String trustPolicyJson,
        Map<String, String> tags,
        Map<String, String> inlinePolicies,
        Set<String> managedPolicyArns) {

    /** IAM's limit on the summed size of a role's inline policies (whitespace not counted). */
    public static final int INLINE_POLICIES_TOTAL_MAX = Validators.INLINE_POLICIES_TOTAL_MAX;
    private static final java.util.regex.Pattern POLICY_ARN = java.util.regex.Pattern.compile("arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/.+");

    public DesiredRole {
        Validators.roleName("role.name", name);
        path = path == null ? "/" : path;
        Validators.rolePath("role.path", path);
        Validators.roleDescription("role.description", description);
        Validators.maxSessionDuration("role.maxSessionDuration", maxSessionDurationSeconds);
        if (permissionsBoundaryArn != null && !POLICY_ARN.matcher(permissionsBoundaryArn).matches()) {
            throw new ValidationException("role.permissionsBoundary", permissionsBoundaryArn, "a managed policy ARN like arn:aws:iam::aws:policy/NAME");
        }
        Validators.policyCharacters("role.trustPolicy", trustPolicyJson);
        tags = Map.copyOf(Validators.awsTags("role.tags", new LinkedHashMap<>(tags)));
        Validators.inlinePolicies("role.inlinePolicies", inlinePolicies);
        inlinePolicies = Map.copyOf(inlinePolicies);
        for (String arn : managedPolicyArns) {
            if (arn == null || !POLICY_ARN.matcher(arn).matches()) {
                throw new ValidationException("role.managedPolicyArns", arn, "a managed policy ARN like arn:aws:iam::aws:policy/NAME");
            }
        }
        Validators.managedPolicyCount("role.managedPolicyArns", managedPolicyArns.size());
        managedPolicyArns = Set.copyOf(managedPolicyArns);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static DesiredRole of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    /** Characters IAM counts against {@code AssumeRolePolicySizeQuota}. */
    public int trustPolicySize() {
        return Validators.sizeWithoutWhitespace(trustPolicyJson);
    }

    public static final class Builder {
        private String name;
        private String path = "/";
        private String description;
        private int maxSessionDurationSeconds = 3600;
        private String permissionsBoundaryArn;
        private String trustPolicyJson;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, String> inlinePolicies = new LinkedHashMap<>();
        private final Set<String> managedPolicyArns = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder maxSessionDurationSeconds(int seconds) {
            this.maxSessionDurationSeconds = seconds;
            return this;
        }

        public Builder permissionsBoundaryArn(String arn) {
            this.permissionsBoundaryArn = arn;
            return this;
        }

        public Builder trustPolicyJson(String json) {
            this.trustPolicyJson = json;
            return this;
        }

        public Builder putTag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags.clear();
            this.tags.putAll(tags);
            return this;
        }

        public Builder putInlinePolicy(String name, String json) {
            inlinePolicies.put(Objects.requireNonNull(name, "name"), json);
            return this;
        }

        public Builder addManagedPolicyArn(String arn) {
            managedPolicyArns.add(arn);
            return this;
        }

        public DesiredRole build() {
            return new DesiredRole(name, path, description, maxSessionDurationSeconds, permissionsBoundaryArn,
                    trustPolicyJson, tags, inlinePolicies, managedPolicyArns);
        }
    }
}
