package dev.irsa.aws;

import dev.irsa.aws.internal.AwsCalls;
import dev.irsa.aws.internal.PolicyDocuments;
import dev.irsa.policy.OidcProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The IAM OIDC provider of an issuer: read with {@code GetOpenIDConnectProvider} on its ARN when the
 * account is known ({@link OidcProvider}), otherwise found among {@code ListOpenIDConnectProviders};
 * created when missing (with ownership tags), given missing client ids, never changed or deleted when
 * another owner's — unless adopted.
 */
public final class OidcProviderExecutor {
    private final IamClient iam;
    private final AwsCalls calls;

    OidcProviderExecutor(IamClient iam, AwsCalls calls) {
        this.iam = iam;
        this.calls = calls;
    }

    /**
     * The provider for this issuer, or empty: {@code ListOpenIDConnectProviders}, then
     * {@code GetOpenIDConnectProvider} on the match. Read-only. When the account is known,
     * {@link #observe(OidcProvider)} needs only the second call.
     */
    public Optional<ObservedOidcProvider> observe(String issuerUrl) {
        String hostPath = DesiredOidcProvider.forIssuer(issuerUrl).hostPath();
        String resource = "OIDC provider " + hostPath;
        List<OpenIDConnectProviderListEntry> entries = calls.call(resource, "ListOpenIDConnectProviders",
                () -> iam.listOpenIDConnectProviders(b -> { })).openIDConnectProviderList();
        for (OpenIDConnectProviderListEntry e : entries) {
            if (e.arn().endsWith(":oidc-provider/" + hostPath)) {
                return get(resource, e.arn()); // empty when deleted between list and get
            }
        }
        return Optional.empty();
    }

    /**
     * The provider at {@code provider.arn()} (IAM names a provider by partition, account and issuer), or
     * empty: one {@code GetOpenIDConnectProvider}, {@code NoSuchEntity} meaning absent. Read-only.
     */
    public Optional<ObservedOidcProvider> observe(OidcProvider provider) {
        return get("OIDC provider " + provider.hostPath(), provider.arn());
    }

    private Optional<ObservedOidcProvider> get(String resource, String arn) {
        try {
            GetOpenIdConnectProviderResponse r = calls.call(resource, "GetOpenIDConnectProvider",
                    () -> iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)));
            return Optional.of(new ObservedOidcProvider(arn, r.url(), r.clientIDList(), r.thumbprintList(), tags(r.tags())));
        } catch (AwsOperationException ex) {
            if (ex.hasErrorCode("NoSuchEntity")) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    /**
     * Makes the provider exist with at least the desired client ids (and the desired thumbprints when
     * given). Returns its ARN and the changing calls made: none when it already was as desired.
     */
    public Result ensure(DesiredOidcProvider desired, Ownership ownership, boolean adopt) {
        return converge(desired, ownership, adopt, () -> observe(desired.issuerUrl()), false);
    }

    /**
     * {@link #ensure(DesiredOidcProvider, Ownership, boolean)} for a provider whose account and partition
     * are known: reads it with one {@code GetOpenIDConnectProvider} on {@code provider.arn()}.
     *
     * @throws IllegalArgumentException when {@code provider} and {@code desired} name different issuers
     */
    public Result ensure(OidcProvider provider, DesiredOidcProvider desired, Ownership ownership, boolean adopt) {
        requireSameIssuer(provider, desired);
        return converge(desired, ownership, adopt, () -> observe(provider), false);
    }

    /**
     * For a provider just observed absent: {@code CreateOpenIDConnectProvider} straight away, without
     * reading first. When it exists after all (a concurrent apply, a stale observation) it is read and
     * converged as {@link #ensure(OidcProvider, DesiredOidcProvider, Ownership, boolean) ensure} does
     * without adopting: another owner's provider is used only if it already fits, never changed.
     *
     * @throws IllegalArgumentException when {@code provider} and {@code desired} name different issuers
     */
    public Result create(OidcProvider provider, DesiredOidcProvider desired, Ownership ownership) {
        requireSameIssuer(provider, desired);
        return converge(desired, ownership, false, () -> observe(provider), true);
    }

    private static void requireSameIssuer(OidcProvider provider, DesiredOidcProvider desired) {
        if (!provider.hostPath().equals(desired.hostPath())) {
            throw new IllegalArgumentException("the provider " + provider.arn() + " is not the one of issuer " + desired.issuerUrl());
        }
    }

    private Result converge(DesiredOidcProvider desired, Ownership ownership, boolean adopt,
                            Supplier<Optional<ObservedOidcProvider>> read, boolean believedAbsent) {
        String resource = "OIDC provider " + desired.hostPath();
        Optional<ObservedOidcProvider> observed = believedAbsent ? Optional.empty() : read.get();
        List<AwsChange> changes = new ArrayList<>();
        if (observed.isEmpty()) {
            try {
                String arn = calls.call(resource, "CreateOpenIDConnectProvider", () -> iam.createOpenIDConnectProvider(b -> b
                        .url(desired.issuerUrl())
                        .clientIDList(desired.clientIds())
                        .thumbprintList(desired.thumbprints())
                        .tags(toTags(ownership.tags())))).openIDConnectProviderArn();
                changes.add(new AwsChange(resource, "CreateOpenIDConnectProvider", "client ids " + desired.clientIds()));
                return new Result(arn, changes);
            } catch (AwsOperationException e) {
                if (!e.hasErrorCode("EntityAlreadyExists")) {
                    throw e;
                }
                // A retried create that had been applied, or a concurrent apply: converge on what is there.
                observed = read.get();
                if (observed.isEmpty()) {
                    throw e;
                }
            }
        }
        ObservedOidcProvider current = observed.get();
        List<String> missingClientIds = desired.clientIds().stream().filter(id -> !current.clientIds().contains(id)).toList();
        boolean thumbprintsDiffer = !desired.thumbprints().isEmpty()
                && !new HashSet<>(lower(desired.thumbprints())).equals(new HashSet<>(lower(current.thumbprints())));
        boolean owned = current.ownedBy(ownership);
        if (!owned && (missingClientIds.isEmpty() && !thumbprintsDiffer)) {
            return new Result(current.arn(), changes); // someone else's provider that already fits: use, never touch
        }
        if (!owned && !adopt) {
            throw new NotOwnedException(resource, missingClientIds.isEmpty() ? "UpdateOpenIDConnectProviderThumbprint" : "AddClientIDToOpenIDConnectProvider",
                    ownership, Ownership.describe(current.tags()));
        }
        if (!owned) {
            calls.call(resource, "TagOpenIDConnectProvider", () -> iam.tagOpenIDConnectProvider(b -> b
                    .openIDConnectProviderArn(current.arn()).tags(toTags(ownership.tags()))));
            changes.add(new AwsChange(resource, "TagOpenIDConnectProvider", "adopted into stack " + ownership.stack()));
        }
        for (String id : missingClientIds) {
            calls.call(resource, "AddClientIDToOpenIDConnectProvider", () -> iam.addClientIDToOpenIDConnectProvider(b -> b
                    .openIDConnectProviderArn(current.arn()).clientID(id)));
            changes.add(new AwsChange(resource, "AddClientIDToOpenIDConnectProvider", "client id " + id));
        }
        if (thumbprintsDiffer) {
            calls.call(resource, "UpdateOpenIDConnectProviderThumbprint", () -> iam.updateOpenIDConnectProviderThumbprint(b -> b
                    .openIDConnectProviderArn(current.arn()).thumbprintList(desired.thumbprints())));
            changes.add(new AwsChange(resource, "UpdateOpenIDConnectProviderThumbprint", "thumbprints " + desired.thumbprints()));
        }
        return new Result(current.arn(), changes);
    }

    /**
     * Deletes the provider when this stack owns it and no role (irsa's or anyone's) still trusts it. Gone already:
     * no change. Owned by someone else: {@link NotOwnedException}. Still trusted: {@link AwsOperationException}.
     */
    public List<AwsChange> delete(String issuerUrl, Ownership ownership) {
        return delete(DesiredOidcProvider.forIssuer(issuerUrl).hostPath(), observe(issuerUrl), ownership);
    }

    /**
     * {@link #delete(String, Ownership)} for a provider whose account and partition are known: reads it
     * with one {@code GetOpenIDConnectProvider} on {@code provider.arn()}.
     */
    public List<AwsChange> delete(OidcProvider provider, Ownership ownership) {
        return delete(provider.hostPath(), observe(provider), ownership);
    }

    private List<AwsChange> delete(String hostPath, Optional<ObservedOidcProvider> observed, Ownership ownership) {
        String resource = "OIDC provider " + hostPath;
        if (observed.isEmpty()) {
            return List.of();
        }
        ObservedOidcProvider current = observed.get();
        if (!current.ownedBy(ownership)) {
            throw new NotOwnedException(resource, "DeleteOpenIDConnectProvider", ownership, Ownership.describe(current.tags()));
        }
        List<String> trusting = rolesTrusting(current.arn());
        if (!trusting.isEmpty()) {
            throw new ProviderStillTrustedException(resource, trusting);
        }
        try {
            calls.call(resource, "DeleteOpenIDConnectProvider", () -> iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(current.arn())));
        } catch (AwsOperationException e) {
            if (e.hasErrorCode("NoSuchEntity")) {
                return List.of();
            }
            throw e;
        }
        return List.of(new AwsChange(resource, "DeleteOpenIDConnectProvider", "owned by stack " + ownership.stack()));
    }

    /**
     * Names of the roles whose trust policy names this provider, whoever owns them: deleting the provider
     * breaks the web identity of every one of them, irsa's or not. (The roles a destroy removes are deleted
     * before their provider, so they are no longer listed.)
     */
    List<String> rolesTrusting(String providerArn) {
        List<String> names = new ArrayList<>();
        for (Role role : calls.call("roles", "ListRoles", () -> iam.listRolesPaginator(b -> { }).roles().stream().toList())) {
            String trust = PolicyDocuments.decode(role.assumeRolePolicyDocument());
            if (trust != null && trust.contains(providerArn)) {
                names.add(role.roleName());
            }
        }
        return names;
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Set<String> lower(List<String> values) {
        Set<String> out = new HashSet<>();
        values.forEach(v -> out.add(v.toLowerCase()));
        return out;
    }

    /** The provider's ARN and the changing calls an ensure made. */
    public record Result(String arn, List<AwsChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }
}
