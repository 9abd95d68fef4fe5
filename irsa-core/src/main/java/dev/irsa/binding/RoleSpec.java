package dev.irsa.binding;

import dev.irsa.ValidationException;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.validation.Validators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The IAM role of a binding: name, path, description, session length, inline permissions policies,
 * managed policy ARNs, permissions boundary and tags (irsa adds its ownership tags itself).
 *
 * <pre>{@code
 * RoleSpec.of(r -> r.name("eks-cluster-role").inlinePolicy("eks-admin", PermissionsPolicy.fromJson(json)));
 * }</pre>
 */
public record RoleSpec(String name, String path, Optional<String> description, int maxSessionDurationSeconds,
                       Map<String, PermissionsPolicy> inlinePolicies, List<String> managedPolicyArns,
                       Optional<String> permissionsBoundaryArn, Map<String, String> tags) {
    public RoleSpec {
        Validators.roleName("role.name", name);
        Validators.rolePath("role.path", path);
        Objects.requireNonNull(description, "description");
        description.ifPresent(d -> Validators.roleDescription("role.description", d));
        Validators.maxSessionDuration("role.maxSessionDuration", maxSessionDurationSeconds);
        inlinePolicies = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(inlinePolicies));
        // The same limits the AWS executor enforces, checked here so a spec fails before planning reads anything.
        Map<String, String> inlineJson = new TreeMap<>();
        inlinePolicies.forEach((policyName, policy) -> inlineJson.put(policyName, policy.toJson()));
        Validators.inlinePolicies("role.inlinePolicies", inlineJson);
        for (int i = 0; i < managedPolicyArns.size(); i++) {
            Validators.policyArn("role.managedPolicyArns[" + i + "]", managedPolicyArns.get(i));
        }
        managedPolicyArns = List.copyOf(new TreeSet<>(managedPolicyArns));
        Validators.managedPolicyCount("role.managedPolicyArns", managedPolicyArns.size());
        permissionsBoundaryArn.ifPresent(a -> Validators.policyArn("role.permissionsBoundary", a));
        tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Validators.awsTags("role.tags", tags)));
        for (String key : tags.keySet()) {
            if (key.startsWith("irsa.dev/")) {
                throw new ValidationException("role.tags", key, "tags under irsa.dev/ are irsa's ownership marks");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RoleSpec of(Consumer<Builder> role) {
        Builder b = builder();
        role.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).path(path).maxSessionDurationSeconds(maxSessionDurationSeconds).tags(tags);
        description.ifPresent(b::description);
        inlinePolicies.forEach(b::inlinePolicy);
        managedPolicyArns.forEach(b::managedPolicyArn);
        permissionsBoundaryArn.ifPresent(b::permissionsBoundaryArn);
        return b;
    }

    public static final class Builder {
        private String name;
        private String path = "/";
        private String description;
        private int maxSessionDurationSeconds = 3600;
        private final Map<String, PermissionsPolicy> inlinePolicies = new LinkedHashMap<>();
        private final List<String> managedPolicyArns = new ArrayList<>();
        private String permissionsBoundaryArn;
        private final Map<String, String> tags = new LinkedHashMap<>();

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

        /** An inline permissions policy stored on the role under {@code policyName}. */
        public Builder inlinePolicy(String policyName, PermissionsPolicy policy) {
            inlinePolicies.put(Objects.requireNonNull(policyName, "policyName"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public Builder managedPolicyArn(String arn) {
            managedPolicyArns.add(arn);
            return this;
        }

        public Builder permissionsBoundaryArn(String arn) {
            this.permissionsBoundaryArn = arn;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags.putAll(tags);
            return this;
        }

        public RoleSpec build() {
            return new RoleSpec(name, path, Optional.ofNullable(description), maxSessionDurationSeconds, inlinePolicies,
                    managedPolicyArns, Optional.ofNullable(permissionsBoundaryArn), tags);
        }
    }
}
