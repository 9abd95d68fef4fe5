package dev.irsa.examples.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The baseline of {@link ManyBindingsOnMoto}: N roles sharing one OIDC provider, written as a plain AWS SDK v2
 * loop that makes the fewest calls with the information irsa acts on, observe first, then change:
 * <ul>
 *   <li>apply: {@code GetOpenIDConnectProvider} (create it when absent), then per role {@code GetRole};
 *       absent: {@code CreateRole} (trust and tags) and {@code PutRolePolicy}; present: the policy reads below
 *       and an update only where something differs;
 *   <li>plan: {@code GetOpenIDConnectProvider}, then per role {@code GetRole}, {@code ListRolePolicies},
 *       {@code GetRolePolicy} per inline policy and {@code ListAttachedRolePolicies} (IAM has no call that
 *       returns a role with its policies), compared with the desired documents;
 *   <li>destroy: {@code GetOpenIDConnectProvider}; per role {@code GetRole} (ownership tag),
 *       {@code ListRolePolicies}, {@code ListAttachedRolePolicies} and {@code ListInstanceProfilesForRole}
 *       (IAM refuses {@code DeleteRole} while any is left), the detaching deletes, {@code DeleteRole}; then one
 *       {@code ListRoles} to find roles outside the run that still trust the provider, and
 *       {@code DeleteOpenIDConnectProvider} when none does.
 * </ul>
 * Roles run on {@code threads} threads, as irsa's budget allows. The documents (trust, inline policy) are
 * rendered before the timing, as a script would have them in files.
 */
final class ManyBindingsSdkLoop {
    static final String OWNER_TAG = "irsa-bench/owner";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One role: name, trust document, inline policy name and document. */
    record DesiredRole(String name, String trust, String policyName, String policy) {
    }

    private final IamClient iam;
    private final String issuerUrl;
    private final String providerArn;
    private final String owner;
    private final int threads;

    ManyBindingsSdkLoop(IamClient iam, String issuerUrl, String providerArn, String owner, int threads) {
        this.iam = iam;
        this.issuerUrl = issuerUrl;
        this.providerArn = providerArn;
        this.owner = owner;
        this.threads = threads;
    }

    /** Creates what is missing and fixes what differs; returns the number of changing calls. */
    int apply(List<DesiredRole> roles) {
        int changes = 0;
        if (!providerExists()) {
            iam.createOpenIDConnectProvider(b -> b.url(issuerUrl).clientIDList("sts.amazonaws.com").tags(ownerTag()));
            changes++;
        }
        return changes + sum(forEach(roles, this::applyRole));
    }

    /** Reads everything and counts the differences; changes nothing. */
    int plan(List<DesiredRole> roles) {
        int differences = providerExists() ? 0 : 1;
        return differences + sum(forEach(roles, role -> {
            Role live = getRole(role.name());
            return live == null ? 1 : differences(role, live).size();
        }));
    }

    /** Deletes the owned roles, then the provider unless a role outside the run still trusts it; returns the deletes. */
    int destroy(List<DesiredRole> roles) {
        boolean provider = providerExists();
        int changes = sum(forEach(roles, this::destroyRole));
        if (provider) {
            boolean stillTrusted = iam.listRolesPaginator(b -> { }).roles().stream()
                    .anyMatch(r -> decode(r.assumeRolePolicyDocument()).contains(providerArn));
            if (!stillTrusted) {
                iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(providerArn));
                changes++;
            }
        }
        return changes;
    }

    private int applyRole(DesiredRole role) {
        Role live = getRole(role.name());
        if (live == null) {
            iam.createRole(b -> b.roleName(role.name()).assumeRolePolicyDocument(role.trust()).tags(ownerTag()));
            iam.putRolePolicy(b -> b.roleName(role.name()).policyName(role.policyName()).policyDocument(role.policy()));
            return 2;
        }
        int changes = 0;
        for (String difference : differences(role, live)) {
            switch (difference) {
                case "trust" -> iam.updateAssumeRolePolicy(b -> b.roleName(role.name()).policyDocument(role.trust()));
                case "policy" -> iam.putRolePolicy(b -> b.roleName(role.name()).policyName(role.policyName()).policyDocument(role.policy()));
                default -> iam.detachRolePolicy(b -> b.roleName(role.name()).policyArn(difference));
            }
            changes++;
        }
        return changes;
    }

    /** "trust", "policy" (missing or different) and the ARN of each attached policy not wanted; reads the policies. */
    private List<String> differences(DesiredRole role, Role live) {
        List<String> differences = new ArrayList<>();
        if (!sameJson(decode(live.assumeRolePolicyDocument()), role.trust())) {
            differences.add("trust");
        }
        List<String> inline = iam.listRolePoliciesPaginator(b -> b.roleName(role.name())).policyNames().stream().toList();
        boolean policyOk = false;
        for (String name : inline) {
            String document = iam.getRolePolicy(b -> b.roleName(role.name()).policyName(name)).policyDocument();
            policyOk |= name.equals(role.policyName()) && sameJson(decode(document), role.policy());
        }
        if (!policyOk) {
            differences.add("policy");
        }
        iam.listAttachedRolePoliciesPaginator(b -> b.roleName(role.name())).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).forEach(differences::add);
        return differences;
    }

    private int destroyRole(DesiredRole role) {
        Role live = getRole(role.name());
        if (live == null || live.tags().stream().noneMatch(t -> t.key().equals(OWNER_TAG) && t.value().equals(owner))) {
            return 0;
        }
        int changes = 0;
        for (String name : iam.listRolePoliciesPaginator(b -> b.roleName(role.name())).policyNames()) {
            iam.deleteRolePolicy(b -> b.roleName(role.name()).policyName(name));
            changes++;
        }
        for (AttachedPolicy attached : iam.listAttachedRolePoliciesPaginator(b -> b.roleName(role.name())).attachedPolicies()) {
            iam.detachRolePolicy(b -> b.roleName(role.name()).policyArn(attached.policyArn()));
            changes++;
        }
        for (InstanceProfile profile : iam.listInstanceProfilesForRolePaginator(b -> b.roleName(role.name())).instanceProfiles()) {
            iam.removeRoleFromInstanceProfile(b -> b.roleName(role.name()).instanceProfileName(profile.instanceProfileName()));
            changes++;
        }
        iam.deleteRole(b -> b.roleName(role.name()));
        return changes + 1;
    }

    private boolean providerExists() {
        try {
            iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(providerArn));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    private Role getRole(String name) {
        try {
            return iam.getRole(b -> b.roleName(name)).role();
        } catch (NoSuchEntityException e) {
            return null;
        }
    }

    private Tag ownerTag() {
        return Tag.builder().key(OWNER_TAG).value(owner).build();
    }

    private <T> List<Integer> forEach(List<T> items, Function<T, Integer> work) {
        return Concurrently.map(items, threads, work);
    }

    private static int sum(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    /** IAM returns policy documents URL-encoded. */
    private static String decode(String document) {
        return document == null ? "" : URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    private static boolean sameJson(String a, String b) {
        try {
            JsonNode left = JSON.readTree(a);
            return left.equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
