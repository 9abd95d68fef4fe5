package dev.irsa.testing;

import dev.irsa.policy.TrustPolicy;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of what exists in the sandbox right now, read without counting as calls and without ever
 * carrying a secret value (Secrets list their keys, runners no token, releases no secret values).
 *
 * <pre>{@code
 * SandboxResources now = sandbox.resources();
 * assertThat(now.roles()).singleElement().satisfies(role ->
 *         assertThat(role.trustPolicy().equivalentTo(expectedTrust)).isTrue());
 * assertThat(now.serviceAccount("ci", "deployer")).map(SandboxResources.ServiceAccount::roleArn).contains(Optional.of(roleArn));
 * }</pre>
 */
public record SandboxResources(
        List<Role> roles,
        List<OidcProvider> oidcProviders,
        List<PodIdentityAssociation> podIdentityAssociations,
        List<String> namespaces,
        List<ServiceAccount> serviceAccounts,
        List<Secret> secrets,
        List<Runner> runners,
        List<Release> releases) {

    public SandboxResources {
        roles = List.copyOf(roles);
        oidcProviders = List.copyOf(oidcProviders);
        podIdentityAssociations = List.copyOf(podIdentityAssociations);
        namespaces = List.copyOf(namespaces);
        serviceAccounts = List.copyOf(serviceAccounts);
        secrets = List.copyOf(secrets);
        runners = List.copyOf(runners);
        releases = List.copyOf(releases);
    }

    /** The role with this name (IAM names are case-insensitive). */
    public Optional<Role> role(String name) {
        return roles.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
        return serviceAccounts.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    public Optional<Secret> secret(String namespace, String name) {
        return secrets.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    public Optional<Release> release(String namespace, String name) {
        return releases.stream().filter(r -> r.namespace().equals(namespace) && r.name().equals(name)).findFirst();
    }

    /** True when nothing was created: no roles, providers, associations, namespaces, accounts, secrets, runners or releases. */
    public boolean isEmpty() {
        return roles.isEmpty() && oidcProviders.isEmpty() && podIdentityAssociations.isEmpty() && namespaces.isEmpty()
                && serviceAccounts.isEmpty() && secrets.isEmpty() && runners.isEmpty() && releases.isEmpty();
    }

    /** An IAM role; documents as stored (already URL-decoded). */
    public record Role(String name, String path, String arn, String trustPolicyJson, Map<String, String> tags,
                       Map<String, String> inlinePolicies, Set<String> attachedPolicyArns, int maxSessionDurationSeconds) {
        public Role {
            tags = Map.copyOf(tags);
            inlinePolicies = Map.copyOf(inlinePolicies);
            attachedPolicyArns = Set.copyOf(attachedPolicyArns);
        }

        /** The trust policy parsed, for {@link TrustPolicy#equivalentTo} assertions. */
        public TrustPolicy trustPolicy() {
            return TrustPolicy.fromJson(trustPolicyJson);
        }
    }

    /** An IAM OIDC provider. {@code url} is the issuer host and path as IAM stores it (no scheme). */
    public record OidcProvider(String arn, String url, List<String> clientIds, Map<String, String> tags) {
        public OidcProvider {
            clientIds = List.copyOf(clientIds);
            tags = Map.copyOf(tags);
        }
    }

    /** A Kubernetes ServiceAccount. */
    public record ServiceAccount(String namespace, String name, Map<String, String> labels, Map<String, String> annotations) {
        public ServiceAccount {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }

        /** The {@code eks.amazonaws.com/role-arn} annotation, if any. */
        public Optional<String> roleArn() {
            return Optional.ofNullable(annotations.get("eks.amazonaws.com/role-arn"));
        }
    }

    /** A Kubernetes Secret: the names of its keys, never the values. */
    public record Secret(String namespace, String name, String type, Set<String> keys, Map<String, String> labels) {
        public Secret {
            keys = Set.copyOf(keys);
            labels = Map.copyOf(labels);
        }
    }

    /** A GitLab runner, without its token. */
    public record Runner(long id, String runnerType, String description, List<String> tags, boolean runUntagged,
                         boolean locked, String accessLevel, boolean paused, Set<Long> projectIds) {
        public Runner {
            tags = List.copyOf(tags);
            projectIds = Set.copyOf(projectIds);
        }
    }

    /** A Helm release: its plain values and only the keys of the values passed as secrets. */
    public record Release(String namespace, String name, int revision, String status, String chart, String values,
                          Set<String> secretValueKeys) {
        public Release {
            secretValueKeys = Set.copyOf(secretValueKeys);
        }
    }
}
