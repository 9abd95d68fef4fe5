package dev.irsa.aws;

import dev.irsa.ValidationException;
import dev.irsa.aws.internal.AwsCalls;
import dev.irsa.aws.internal.PolicyDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An IAM role with its trust policy, inline policies and managed attachments. {@link #observe} reads;
 * {@link #ensure} creates or converges the role, making only the calls whose target differs (drift in
 * the trust policy is found by comparing parsed documents, since IAM returns them URL-encoded);
 * {@link #delete} detaches, deletes inline policies, then deletes the role.
 */
public final class RoleExecutor {
    /** IAM's default {@code AssumeRolePolicySizeQuota} when {@code GetAccountSummary} is not allowed. */
    public static final int DEFAULT_TRUST_POLICY_QUOTA = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(RoleExecutor.class);

    private final IamClient iam;
    private final AwsCalls calls;
    private Integer trustPolicyQuota;

    RoleExecutor(IamClient iam, AwsCalls calls) {
        this.iam = Objects.requireNonNull(iam, "iam");
        this.calls = calls;
    }

    /** The role as it is now, or empty when there is none. Read-only. */
    public Optional<ObservedRole> observe(String roleName) {
        dev.irsa.validation.Validators.roleName("role.name", roleName);
        return observe(roleName, false);
    }

    private Optional<ObservedRole> observe(String roleName, boolean afterCreate) {
        String resource = "role " + roleName;
        try {
            Role role = calls.call(resource, "GetRole", afterCreate, () -> iam.getRole(b -> b.roleName(roleName))).role();
            Map<String, String> inline = new LinkedHashMap<>();
            List<String> names = calls.call(resource, "ListRolePolicies", afterCreate,
                    () -> iam.listRolePoliciesPaginator(b -> b.roleName(roleName)).policyNames().stream().toList());
            for (String name : names) {
                String doc = calls.call(resource, "GetRolePolicy", afterCreate,
                        () -> iam.getRolePolicy(b -> b.roleName(roleName).policyName(name))).policyDocument();
                inline.put(name, PolicyDocuments.decode(doc));
            }
            Set<String> managed = new LinkedHashSet<>();
            calls.call(resource, "ListAttachedRolePolicies", afterCreate,
                    () -> iam.listAttachedRolePoliciesPaginator(b -> b.roleName(roleName)).attachedPolicies().stream().toList())
                    .forEach(p -> managed.add(p.policyArn()));
            return Optional.of(new ObservedRole(role.roleName(), role.arn(), role.path(), role.description(),
                    role.maxSessionDuration() == null ? 3600 : role.maxSessionDuration(),
                    role.permissionsBoundary() == null ? null : role.permissionsBoundary().permissionsBoundaryArn(),
                    PolicyDocuments.decode(role.assumeRolePolicyDocument()),
                    OidcProviderExecutor.tags(role.tags()), inline, managed));
        } catch (AwsOperationException e) {
            if (e.hasErrorCode("NoSuchEntity") && !afterCreate) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The account's trust policy size quota ({@code GetAccountSummary} {@code AssumeRolePolicySizeQuota}),
     * read once; {@value #DEFAULT_TRUST_POLICY_QUOTA} when the caller may not read it.
     */
    public synchronized int trustPolicyQuota() {
        if (trustPolicyQuota == null) {
            try {
                Integer q = calls.call("account", "GetAccountSummary", () -> iam.getAccountSummary(b -> { }))
                        .summaryMapAsStrings().get("AssumeRolePolicySizeQuota");
                trustPolicyQuota = q == null || q <= 0 ? DEFAULT_TRUST_POLICY_QUOTA : q;
            } catch (AwsOperationException e) {
                if (e.errorCode() == null || !e.errorCode().startsWith("AccessDenied")) {
                    throw e;
                }
                LOG.debug("GetAccountSummary not allowed; assuming the default trust policy quota {}", DEFAULT_TRUST_POLICY_QUOTA);
                trustPolicyQuota = DEFAULT_TRUST_POLICY_QUOTA;
            }
        }
        return trustPolicyQuota;
    }

    /**
     * Creates the role or converges it to {@code desired}. A role without this stack's ownership tags is
     * refused ({@link NotOwnedException}) unless {@code adopt}, in which case it is tagged as ours first.
     * Returns the role's ARN and the changing calls made: none when it already was as desired.
     */
    public Result ensure(DesiredRole desired, Ownership ownership, boolean adopt) {
        return ensure(desired, ownership, adopt, false);
    }

    /**
     * For a role just observed absent: {@code CreateRole} straight away, without reading first. When it
     * exists after all (a concurrent apply, a stale observation) it is read and converged as
     * {@link #ensure} does without adopting: another owner's role is refused.
     */
    public Result create(DesiredRole desired, Ownership ownership) {
        return ensure(desired, ownership, false, true);
    }

    private Result ensure(DesiredRole desired, Ownership ownership, boolean adopt, boolean believedAbsent) {
        String resource = "role " + desired.name();
        int quota = trustPolicyQuota();
        if (desired.trustPolicySize() > quota) {
            throw new ValidationException("role.trustPolicy", desired.trustPolicySize() + " characters",
                    "a trust policy has at most " + quota + " characters, whitespace not counted (this account's AssumeRolePolicySizeQuota)");
        }
        Map<String, String> tags = new LinkedHashMap<>(desired.tags());
        tags.putAll(ownership.tags());
        List<AwsChange> changes = new ArrayList<>();
        Optional<ObservedRole> observed = believedAbsent ? Optional.empty() : observe(desired.name(), false);
        if (observed.isEmpty()) {
            try {
                // Right after its OIDC provider was created IAM may answer "Invalid principal": retried as eventual consistency.
                Role role = calls.call(resource, "CreateRole", true, () -> iam.createRole(b -> b
                        .roleName(desired.name())
                        .path(desired.path())
                        .description(desired.description())
                        .maxSessionDuration(desired.maxSessionDurationSeconds())
                        .permissionsBoundary(desired.permissionsBoundaryArn())
                        .assumeRolePolicyDocument(desired.trustPolicyJson())
                        .tags(OidcProviderExecutor.toTags(tags)))).role();
                changes.add(new AwsChange(resource, "CreateRole", "path " + desired.path()));
                // A role is created without policies: no need to read it back before adding them (the
                // policy calls wait out IAM's eventual consistency themselves).
                convergePolicies(desired, role.roleName(), Map.of(), Set.of(), true, changes);
                return new Result(role.arn(), changes);
            } catch (AwsOperationException e) {
                if (!e.hasErrorCode("EntityAlreadyExists")) {
                    throw e;
                }
                // Our own create applied before a timeout, a concurrent apply, or a name differing only in case: look again.
            }
            observed = observe(desired.name(), true);
        }
        ObservedRole current = observed.orElseThrow();
        converge(desired, ownership, adopt, current, tags, changes);
        convergePolicies(desired, current.name(), current.inlinePolicies(), current.managedPolicyArns(), false, changes);
        return new Result(current.arn(), changes);
    }

    private void converge(DesiredRole desired, Ownership ownership, boolean adopt, ObservedRole current,
                          Map<String, String> tags, List<AwsChange> changes) {
        String resource = "role " + current.name();
        if (!current.ownedBy(ownership) && !adopt) {
            throw new NotOwnedException(resource, "UpdateRole", ownership, Ownership.describe(current.tags()));
        }
        if (!current.name().equals(desired.name())) {
            throw new AwsOperationException(resource, "CreateRole", "EntityAlreadyExists", 409,
                    "IAM role names are unique ignoring case: '" + current.name() + "' already exists, so '" + desired.name() + "' cannot be created", null);
        }
        if (!current.path().equals(desired.path())) {
            throw new AwsOperationException(resource, "CreateRole", null, 0,
                    "the role exists at path " + current.path() + " but " + desired.path() + " is wanted; IAM cannot move a role, so delete it first or keep its path", null);
        }
        Map<String, String> missingTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (!v.equals(current.tags().get(k))) {
                missingTags.put(k, v);
            }
        });
        if (!missingTags.isEmpty()) {
            calls.call(resource, "TagRole", () -> iam.tagRole(b -> b.roleName(current.name()).tags(OidcProviderExecutor.toTags(missingTags))));
            changes.add(new AwsChange(resource, "TagRole", current.ownedBy(ownership) ? "tags " + missingTags.keySet() : "adopted into stack " + ownership.stack()));
        }
        if (!PolicyDocuments.equivalent(current.trustPolicyJson(), desired.trustPolicyJson())) {
            calls.call(resource, "UpdateAssumeRolePolicy", () -> iam.updateAssumeRolePolicy(b -> b.roleName(current.name()).policyDocument(desired.trustPolicyJson())));
            changes.add(new AwsChange(resource, "UpdateAssumeRolePolicy", "trust policy drifted"));
        }
        if (!Objects.equals(emptyToNull(current.description()), emptyToNull(desired.description()))
                || current.maxSessionDurationSeconds() != desired.maxSessionDurationSeconds()) {
            calls.call(resource, "UpdateRole", () -> iam.updateRole(b -> b.roleName(current.name())
                    .description(desired.description() == null ? "" : desired.description())
                    .maxSessionDuration(desired.maxSessionDurationSeconds())));
            changes.add(new AwsChange(resource, "UpdateRole", "description / max session duration"));
        }
        if (!Objects.equals(current.permissionsBoundaryArn(), desired.permissionsBoundaryArn())) {
            if (desired.permissionsBoundaryArn() == null) {
                calls.call(resource, "DeleteRolePermissionsBoundary", () -> iam.deleteRolePermissionsBoundary(b -> b.roleName(current.name())));
                changes.add(new AwsChange(resource, "DeleteRolePermissionsBoundary", "no boundary wanted"));
            } else {
                calls.call(resource, "PutRolePermissionsBoundary", () -> iam.putRolePermissionsBoundary(b -> b.roleName(current.name())
                        .permissionsBoundary(desired.permissionsBoundaryArn())));
                changes.add(new AwsChange(resource, "PutRolePermissionsBoundary", desired.permissionsBoundaryArn()));
            }
        }
    }

    private void convergePolicies(DesiredRole desired, String name, Map<String, String> inlinePolicies,
                                  Set<String> managedPolicyArns, boolean created, List<AwsChange> changes) {
        String resource = "role " + name;
        // Right after CreateRole, IAM may not know the role yet everywhere: NoSuchEntity is retried then.
        desired.inlinePolicies().forEach((policyName, json) -> {
            String existing = inlinePolicies.get(policyName);
            if (existing == null || !PolicyDocuments.equivalent(existing, json)) {
                calls.call(resource, "PutRolePolicy", created, () -> iam.putRolePolicy(b -> b.roleName(name).policyName(policyName).policyDocument(json)));
                changes.add(new AwsChange(resource, "PutRolePolicy", (existing == null ? "add " : "update ") + policyName));
            }
        });
        for (String policyName : inlinePolicies.keySet()) {
            if (!desired.inlinePolicies().containsKey(policyName)) {
                deleteInline(name, policyName, changes);
            }
        }
        for (String arn : desired.managedPolicyArns()) {
            if (!managedPolicyArns.contains(arn)) {
                calls.call(resource, "AttachRolePolicy", created, () -> iam.attachRolePolicy(b -> b.roleName(name).policyArn(arn)));
                changes.add(new AwsChange(resource, "AttachRolePolicy", arn));
            }
        }
        for (String arn : managedPolicyArns) {
            if (!desired.managedPolicyArns().contains(arn)) {
                detach(name, arn, changes);
            }
        }
    }

    /**
     * Deletes the role after detaching its managed policies, deleting its inline policies and removing it
     * from instance profiles. Already gone: no change. Not this stack's: {@link NotOwnedException}.
     */
    public List<AwsChange> delete(String roleName, Ownership ownership) {
        Optional<ObservedRole> observed = observe(roleName);
        if (observed.isEmpty()) {
            return new ArrayList<>();
        }
        ObservedRole current = observed.get();
        return delete(current.name(), current.tags(), ownership, current.inlinePolicies().keySet(), current.managedPolicyArns());
    }

    /**
     * {@link #delete(String, Ownership)} for a role whose policies were just observed (a destroy plan): one
     * {@code GetRole} checks again that it is this stack's, then the policies seen are removed without listing them
     * again. Should something have been attached since, {@code DeleteRole} answers {@code DeleteConflict} and the
     * role is read in full and cleaned up again.
     */
    public List<AwsChange> delete(String roleName, Ownership ownership, Set<String> inlinePolicies, Set<String> managedPolicyArns) {
        String resource = "role " + roleName;
        Role role;
        try {
            role = calls.call(resource, "GetRole", () -> iam.getRole(b -> b.roleName(roleName))).role();
        } catch (AwsOperationException e) {
            if (e.hasErrorCode("NoSuchEntity")) {
                return new ArrayList<>();
            }
            throw e;
        }
        return delete(role.roleName(), OidcProviderExecutor.tags(role.tags()), ownership, inlinePolicies, managedPolicyArns);
    }

    private List<AwsChange> delete(String roleName, Map<String, String> tags, Ownership ownership, Set<String> inline, Set<String> managed) {
        String resource = "role " + roleName;
        List<AwsChange> changes = new ArrayList<>();
        if (!ownership.owns(tags)) {
            throw new NotOwnedException(resource, "DeleteRole", ownership, Ownership.describe(tags));
        }
        for (int attempt = 1; ; attempt++) {
            Set<String> managedNow = managed;
            Set<String> inlineNow = inline;
            if (attempt > 1) {
                Optional<ObservedRole> again = observe(roleName);
                if (again.isEmpty()) {
                    return changes;
                }
                managedNow = again.get().managedPolicyArns();
                inlineNow = again.get().inlinePolicies().keySet();
            }
            String name = roleName;
            managedNow.forEach(arn -> detach(name, arn, changes));
            inlineNow.forEach(p -> deleteInline(name, p, changes));
            removeFromInstanceProfiles(roleName, changes);
            try {
                calls.call(resource, "DeleteRole", () -> iam.deleteRole(b -> b.roleName(roleName)));
                changes.add(new AwsChange(resource, "DeleteRole", "owned by stack " + ownership.stack()));
                return changes;
            } catch (AwsOperationException e) {
                if (e.hasErrorCode("NoSuchEntity")) {
                    return changes;
                }
                // Something was attached between our cleanup and the delete: clean up once more, then give up.
                if (!e.hasErrorCode("DeleteConflict") || attempt >= 3) {
                    throw e;
                }
                LOG.debug("DeleteRole {} hit DeleteConflict; cleaning up again", roleName);
            }
        }
    }

    private void detach(String roleName, String arn, List<AwsChange> changes) {
        try {
            calls.call("role " + roleName, "DetachRolePolicy", () -> iam.detachRolePolicy(b -> b.roleName(roleName).policyArn(arn)));
            changes.add(new AwsChange("role " + roleName, "DetachRolePolicy", arn));
        } catch (AwsOperationException e) {
            if (!e.hasErrorCode("NoSuchEntity")) {
                throw e;
            }
        }
    }

    private void deleteInline(String roleName, String policyName, List<AwsChange> changes) {
        try {
            calls.call("role " + roleName, "DeleteRolePolicy", () -> iam.deleteRolePolicy(b -> b.roleName(roleName).policyName(policyName)));
            changes.add(new AwsChange("role " + roleName, "DeleteRolePolicy", policyName));
        } catch (AwsOperationException e) {
            if (!e.hasErrorCode("NoSuchEntity")) {
                throw e;
            }
        }
    }

    private void removeFromInstanceProfiles(String roleName, List<AwsChange> changes) {
        List<InstanceProfile> profiles;
        try {
            profiles = calls.call("role " + roleName, "ListInstanceProfilesForRole",
                    () -> iam.listInstanceProfilesForRolePaginator(b -> b.roleName(roleName)).instanceProfiles().stream().toList());
        } catch (AwsOperationException e) {
            if (e.hasErrorCode("NoSuchEntity")) {
                return;
            }
            throw e;
        }
        for (InstanceProfile p : profiles) {
            try {
                calls.call("role " + roleName, "RemoveRoleFromInstanceProfile",
                        () -> iam.removeRoleFromInstanceProfile(b -> b.roleName(roleName).instanceProfileName(p.instanceProfileName())));
                changes.add(new AwsChange("role " + roleName, "RemoveRoleFromInstanceProfile", p.instanceProfileName()));
            } catch (AwsOperationException e) {
                if (!e.hasErrorCode("NoSuchEntity")) {
                    throw e;
                }
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The role's ARN and the changing calls an ensure made. */
    public record Result(String arn, List<AwsChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

}
