package dev.irsa.testing.aws;

import dev.irsa.Sleeper;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An in-memory IAM that behaves like IAM where irsa can observe it: the same exception types, error
 * codes and HTTP statuses; documents returned URL-encoded by Get*; role names unique ignoring case;
 * name, path, size and tag validation; {@code Marker}/{@code IsTruncated} pagination honouring
 * {@code MaxItems}; trust policies whose Federated principal names a missing (or not yet propagated)
 * OIDC provider rejected with {@code MalformedPolicyDocument: Invalid principal}. Every call is counted
 * ({@link #calls()}) and can be made to fail ({@link #faults()}).
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.startingNow();
 * FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).build();
 * iam.propagationDelay(Duration.ofSeconds(15));   // new roles/trusts unusable in FakeSts for 15 s
 * iam.faults().throttle("CreateRole", 1);
 * }</pre>
 *
 * <p>Supported: roles (create/get/update/delete/list/tags/trust/boundary), inline and managed role
 * policies, customer managed policies (create/get/delete) plus a few AWS managed ones, OIDC providers,
 * {@code ListInstanceProfilesForRole} (always empty), {@code GetAccountSummary}. Anything else throws
 * {@link UnsupportedOperationException} as the SDK interface's defaults do.
 */
public final class FakeIam extends FakeAwsService implements IamClient {
    public static final int DEFAULT_TRUST_POLICY_QUOTA = 2048;
    /** The IAM user every fresh FakeIam holds, with AdministratorAccess attached: FakeSts's default caller. */
    public static final String CALLER_USER = "irsa-test";
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final Pattern POLICY_CHARS = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");
    private static final List<String> AWS_MANAGED = List.of("AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess",
            "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy",
            "AmazonEC2ContainerRegistryReadOnly", "job-function/ViewOnlyAccess");

    private final String accountId;
    private final String partition;
    private final Random ids;
    private final Map<String, RoleState> roles = new TreeMap<>(); // key: lower-cased name
    private final Map<String, ProviderState> providers = new LinkedHashMap<>(); // key: arn
    private final Map<String, PolicyState> policies = new LinkedHashMap<>(); // key: arn
    private final Map<String, UserState> users = new TreeMap<>(); // key: lower-cased name
    private Duration propagationDelay = Duration.ZERO;
    private int trustPolicyQuota = DEFAULT_TRUST_POLICY_QUOTA;

    private FakeIam(Builder b) {
        super("iam", b.clock, b.sleeper, FakeIam::error);
        this.accountId = b.accountId;
        this.partition = b.partition;
        this.ids = new Random(b.seed);
        for (String name : AWS_MANAGED) {
            String arn = "arn:" + partition + ":iam::aws:policy/" + name;
            int slash = name.lastIndexOf('/');
            policies.put(arn, new PolicyState(arn, name.substring(slash + 1), slash < 0 ? "/" : "/" + name.substring(0, slash + 1),
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}", clock.instant(), Map.of()));
        }
        addCallerUser();
    }

    /** The user FakeSts reports as the caller by default ({@value #CALLER_USER}), with AdministratorAccess attached. */
    private void addCallerUser() {
        UserState caller = new UserState(CALLER_USER, "/", "AIDA" + "EXAMPLEUSERID0001");
        caller.attached.add("arn:" + partition + ":iam::aws:policy/AdministratorAccess");
        users.put(CALLER_USER, caller);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fake with the system clock, no sleeping for injected latency, account 123456789012. */
    public static FakeIam create() {
        return builder().build();
    }

    public String accountId() {
        return accountId;
    }

    public String partition() {
        return partition;
    }

    /** New roles, trust updates and OIDC providers take this long (on the injected clock) before they can be used. */
    public synchronized FakeIam propagationDelay(Duration delay) {
        this.propagationDelay = delay;
        return this;
    }

    /** The account's {@code AssumeRolePolicySizeQuota} (default 2048), as if raised through Service Quotas. */
    public synchronized FakeIam trustPolicyQuota(int quota) {
        this.trustPolicyQuota = quota;
        return this;
    }

    // ---- inspection (not counted as calls, no faults) ----

    /** Every role, ordered by name (case-insensitive). */
    public synchronized List<RoleView> roles() {
        return roles.values().stream().map(r -> new RoleView(r.name, r.arn(), r.id, r.trust, r.maxSession, !propagated(r.usableAt))).toList();
    }

    /** Every OIDC provider, in creation order. */
    public synchronized List<OidcProviderView> oidcProviders() {
        return providers.values().stream()
                .map(p -> new OidcProviderView(p.arn, p.hostPath, List.copyOf(p.clientIds), !propagated(p.usableAt))).toList();
    }

    /** Tags of the OIDC provider with this ARN (empty when absent). */
    public synchronized Map<String, String> oidcProviderTags(String arn) {
        ProviderState p = providers.get(arn);
        return p == null ? Map.of() : Map.copyOf(p.tags);
    }

    /** The path of a role ({@code /} by default). */
    public synchronized Optional<String> rolePath(String roleName) {
        return Optional.ofNullable(roles.get(roleName.toLowerCase(Locale.ROOT))).map(r -> r.path);
    }

    /** Names of all roles, as created. */
    public synchronized List<String> roleNames() {
        return roles.values().stream().map(r -> r.name).toList();
    }

    /** The trust policy exactly as stored (not URL-encoded). */
    public synchronized Optional<String> trustPolicy(String roleName) {
        return Optional.ofNullable(roles.get(roleName.toLowerCase(Locale.ROOT))).map(r -> r.trust);
    }

    public synchronized Map<String, String> roleTags(String roleName) {
        RoleState r = roles.get(roleName.toLowerCase(Locale.ROOT));
        return r == null ? Map.of() : Map.copyOf(r.tags);
    }

    public synchronized Map<String, String> inlinePolicies(String roleName) {
        RoleState r = roles.get(roleName.toLowerCase(Locale.ROOT));
        return r == null ? Map.of() : Map.copyOf(r.inline);
    }

    public synchronized Set<String> attachedPolicies(String roleName) {
        RoleState r = roles.get(roleName.toLowerCase(Locale.ROOT));
        return r == null ? Set.of() : Set.copyOf(r.attached);
    }

    public synchronized List<String> oidcProviderArns() {
        return List.copyOf(providers.keySet());
    }

    /** The OIDC provider registered for an issuer URL ({@code https://host/path}), for FakeSts. */
    public synchronized Optional<OidcProviderView> oidcProviderForIssuer(String issuerUrl) {
        String hostPath = stripScheme(issuerUrl);
        return providers.values().stream().filter(p -> p.hostPath.equals(hostPath)).findFirst()
                .map(p -> new OidcProviderView(p.arn, p.hostPath, List.copyOf(p.clientIds), !propagated(p.usableAt)));
    }

    /** A role as FakeSts needs it: its trust policy and whether IAM has propagated it yet. */
    public synchronized Optional<RoleView> roleForArn(String roleArn) {
        return roles.values().stream().filter(r -> r.arn().equals(roleArn)).findFirst()
                .map(r -> new RoleView(r.name, r.arn(), r.id, r.trust, r.maxSession, !propagated(r.usableAt)));
    }

    public record OidcProviderView(String arn, String hostPath, List<String> clientIds, boolean propagating) {
    }

    public record RoleView(String name, String arn, String roleId, String trustPolicyJson, int maxSessionDurationSeconds, boolean propagating) {
    }

    @Override
    protected void clearState() {
        roles.clear();
        providers.clear();
        policies.keySet().removeIf(arn -> !arn.startsWith("arn:" + partition + ":iam::aws:policy/"));
        policies.values().forEach(p -> p.attachments = 0);
        users.clear();
        addCallerUser();
        propagationDelay = Duration.ZERO;
        trustPolicyQuota = DEFAULT_TRUST_POLICY_QUOTA;
    }

    // ---- IamClient ----

    @Override
    public String serviceName() {
        return "iam";
    }

    @Override
    public CreateRoleResponse createRole(CreateRoleRequest req) {
        return invoke("CreateRole", () -> {
            String name = req.roleName();
            validateRoleName(name);
            String path = req.path() == null ? "/" : req.path();
            validatePath(path);
            if (req.description() != null && req.description().length() > 1000) {
                throw validation(req.description(), "description", "Member must have length less than or equal to 1000");
            }
            int maxSession = req.maxSessionDuration() == null ? 3600 : req.maxSessionDuration();
            validateMaxSession(maxSession);
            validateTrust(req.assumeRolePolicyDocument());
            Map<String, String> tags = validateTags(new LinkedHashMap<>(), req.tags());
            if (req.permissionsBoundary() != null) {
                requirePolicy(req.permissionsBoundary());
            }
            if (roles.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw error("EntityAlreadyExists", 409, "Role with name " + name + " already exists.");
            }
            RoleState r = new RoleState(name, path, "AROA" + randomId(17), clock.instant());
            r.trust = req.assumeRolePolicyDocument();
            r.description = req.description();
            r.maxSession = maxSession;
            r.boundary = req.permissionsBoundary();
            r.tags.putAll(tags);
            r.usableAt = clock.instant().plus(propagationDelay);
            roles.put(name.toLowerCase(Locale.ROOT), r);
            return CreateRoleResponse.builder().role(r.toRole(true)).build();
        });
    }

    @Override
    public GetRoleResponse getRole(GetRoleRequest req) {
        return invoke("GetRole", () -> GetRoleResponse.builder().role(role(req.roleName()).toRole(true)).build());
    }

    @Override
    public ListRolesResponse listRoles(ListRolesRequest req) {
        return invoke("ListRoles", () -> {
            String prefix = req.pathPrefix() == null ? "/" : req.pathPrefix();
            List<Role> all = roles.values().stream().filter(r -> r.path.startsWith(prefix)).map(r -> r.toRole(false)).toList();
            Page<Role> page = page(all, req.marker(), req.maxItems());
            return ListRolesResponse.builder().roles(page.items).isTruncated(page.truncated).marker(page.marker).build();
        });
    }

    @Override
    public UpdateRoleResponse updateRole(UpdateRoleRequest req) {
        return invoke("UpdateRole", () -> {
            RoleState r = role(req.roleName());
            if (req.maxSessionDuration() != null) {
                validateMaxSession(req.maxSessionDuration());
            }
            if (req.description() != null && req.description().length() > 1000) {
                throw validation(req.description(), "description", "Member must have length less than or equal to 1000");
            }
            if (req.description() != null) {
                r.description = req.description();
            }
            if (req.maxSessionDuration() != null) {
                r.maxSession = req.maxSessionDuration();
            }
            return UpdateRoleResponse.builder().build();
        });
    }

    @Override
    public UpdateAssumeRolePolicyResponse updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest req) {
        return invoke("UpdateAssumeRolePolicy", () -> {
            RoleState r = role(req.roleName());
            validateTrust(req.policyDocument());
            r.trust = req.policyDocument();
            r.usableAt = clock.instant().plus(propagationDelay);
            return UpdateAssumeRolePolicyResponse.builder().build();
        });
    }

    @Override
    public DeleteRoleResponse deleteRole(DeleteRoleRequest req) {
        return invoke("DeleteRole", () -> {
            RoleState r = role(req.roleName());
            if (!r.inline.isEmpty()) {
                throw error("DeleteConflict", 409, "Cannot delete entity, must delete policies first.");
            }
            if (!r.attached.isEmpty()) {
                throw error("DeleteConflict", 409, "Cannot delete entity, must detach all policies first.");
            }
            roles.remove(r.name.toLowerCase(Locale.ROOT));
            return DeleteRoleResponse.builder().build();
        });
    }

    @Override
    public TagRoleResponse tagRole(TagRoleRequest req) {
        return invoke("TagRole", () -> {
            RoleState r = role(req.roleName());
            Map<String, String> merged = new LinkedHashMap<>(r.tags);
            validateTags(merged, req.tags());
            r.tags.clear();
            r.tags.putAll(merged);
            return TagRoleResponse.builder().build();
        });
    }

    @Override
    public UntagRoleResponse untagRole(UntagRoleRequest req) {
        return invoke("UntagRole", () -> {
            RoleState r = role(req.roleName());
            req.tagKeys().forEach(r.tags::remove);
            return UntagRoleResponse.builder().build();
        });
    }

    @Override
    public ListRoleTagsResponse listRoleTags(ListRoleTagsRequest req) {
        return invoke("ListRoleTags", () -> {
            RoleState r = role(req.roleName());
            Page<Tag> page = page(toTags(r.tags), req.marker(), req.maxItems());
            return ListRoleTagsResponse.builder().tags(page.items).isTruncated(page.truncated).marker(page.marker).build();
        });
    }

    @Override
    public PutRolePermissionsBoundaryResponse putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest req) {
        return invoke("PutRolePermissionsBoundary", () -> {
            RoleState r = role(req.roleName());
            requirePolicy(req.permissionsBoundary());
            r.boundary = req.permissionsBoundary();
            return PutRolePermissionsBoundaryResponse.builder().build();
        });
    }

    @Override
    public DeleteRolePermissionsBoundaryResponse deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest req) {
        return invoke("DeleteRolePermissionsBoundary", () -> {
            RoleState r = role(req.roleName());
            if (r.boundary == null) {
                throw error("NoSuchEntity", 404, "The role with name " + r.name + " does not have a permissions boundary.");
            }
            r.boundary = null;
            return DeleteRolePermissionsBoundaryResponse.builder().build();
        });
    }

    @Override
    public PutRolePolicyResponse putRolePolicy(PutRolePolicyRequest req) {
        return invoke("PutRolePolicy", () -> {
            RoleState r = role(req.roleName());
            validatePolicyName(req.policyName());
            validatePolicyDocument(req.policyDocument());
            Map<String, String> after = new LinkedHashMap<>(r.inline);
            after.put(req.policyName(), req.policyDocument());
            int total = after.values().stream().mapToInt(FakeIam::sizeWithoutWhitespace).sum();
            if (total > 10240) {
                throw error("LimitExceeded", 409, "Maximum policy size of 10240 bytes exceeded for role " + r.name);
            }
            r.inline.put(req.policyName(), req.policyDocument());
            return PutRolePolicyResponse.builder().build();
        });
    }

    @Override
    public GetRolePolicyResponse getRolePolicy(GetRolePolicyRequest req) {
        return invoke("GetRolePolicy", () -> {
            RoleState r = role(req.roleName());
            String doc = r.inline.get(req.policyName());
            if (doc == null) {
                throw error("NoSuchEntity", 404, "The role policy with name " + req.policyName() + " cannot be found.");
            }
            return GetRolePolicyResponse.builder().roleName(r.name).policyName(req.policyName()).policyDocument(encode(doc)).build();
        });
    }

    @Override
    public DeleteRolePolicyResponse deleteRolePolicy(DeleteRolePolicyRequest req) {
        return invoke("DeleteRolePolicy", () -> {
            RoleState r = role(req.roleName());
            if (r.inline.remove(req.policyName()) == null) {
                throw error("NoSuchEntity", 404, "The role policy with name " + req.policyName() + " cannot be found.");
            }
            return DeleteRolePolicyResponse.builder().build();
        });
    }

    @Override
    public ListRolePoliciesResponse listRolePolicies(ListRolePoliciesRequest req) {
        return invoke("ListRolePolicies", () -> {
            RoleState r = role(req.roleName());
            Page<String> page = page(new ArrayList<>(new java.util.TreeSet<>(r.inline.keySet())), req.marker(), req.maxItems());
            return ListRolePoliciesResponse.builder().policyNames(page.items).isTruncated(page.truncated).marker(page.marker).build();
        });
    }

    @Override
    public AttachRolePolicyResponse attachRolePolicy(AttachRolePolicyRequest req) {
        return invoke("AttachRolePolicy", () -> {
            RoleState r = role(req.roleName());
            PolicyState p = policies.get(req.policyArn());
            if (p == null) {
                throw error("NoSuchEntity", 404, "Policy " + req.policyArn() + " does not exist or is not attachable.");
            }
            if (!r.attached.contains(p.arn) && r.attached.size() >= 10) {
                throw error("LimitExceeded", 409, "Cannot exceed quota for PoliciesPerRole: 10");
            }
            if (r.attached.add(p.arn)) {
                p.attachments++;
            }
            return AttachRolePolicyResponse.builder().build();
        });
    }

    @Override
    public DetachRolePolicyResponse detachRolePolicy(DetachRolePolicyRequest req) {
        return invoke("DetachRolePolicy", () -> {
            RoleState r = role(req.roleName());
            if (!r.attached.remove(req.policyArn())) {
                throw error("NoSuchEntity", 404, "Policy " + req.policyArn() + " was not found.");
            }
            PolicyState p = policies.get(req.policyArn());
            if (p != null) {
                p.attachments--;
            }
            return DetachRolePolicyResponse.builder().build();
        });
    }

    @Override
    public ListAttachedRolePoliciesResponse listAttachedRolePolicies(ListAttachedRolePoliciesRequest req) {
        return invoke("ListAttachedRolePolicies", () -> {
            RoleState r = role(req.roleName());
            String prefix = req.pathPrefix() == null ? "/" : req.pathPrefix();
            List<AttachedPolicy> all = r.attached.stream().map(policies::get).filter(p -> p.path.startsWith(prefix))
                    .map(p -> AttachedPolicy.builder().policyArn(p.arn).policyName(p.name).build()).toList();
            Page<AttachedPolicy> page = page(all, req.marker(), req.maxItems());
            return ListAttachedRolePoliciesResponse.builder().attachedPolicies(page.items).isTruncated(page.truncated).marker(page.marker).build();
        });
    }

    @Override
    public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(ListInstanceProfilesForRoleRequest req) {
        return invoke("ListInstanceProfilesForRole", () -> {
            role(req.roleName());
            return ListInstanceProfilesForRoleResponse.builder().instanceProfiles(List.of()).isTruncated(false).build();
        });
    }

    @Override
    public CreatePolicyResponse createPolicy(CreatePolicyRequest req) {
        return invoke("CreatePolicy", () -> {
            validatePolicyName(req.policyName());
            String path = req.path() == null ? "/" : req.path();
            validatePath(path);
            validatePolicyDocument(req.policyDocument());
            if (sizeWithoutWhitespace(req.policyDocument()) > 6144) {
                throw error("LimitExceeded", 409, "Cannot exceed quota for PolicySize: 6144");
            }
            String arn = "arn:" + partition + ":iam::" + accountId + ":policy" + path + req.policyName();
            if (policies.containsKey(arn)) {
                throw error("EntityAlreadyExists", 409, "A policy called " + req.policyName() + " already exists. Duplicate names are not allowed.");
            }
            PolicyState p = new PolicyState(arn, req.policyName(), path, req.policyDocument(), clock.instant(),
                    validateTags(new LinkedHashMap<>(), req.tags()));
            policies.put(arn, p);
            return CreatePolicyResponse.builder().policy(p.toPolicy()).build();
        });
    }

    @Override
    public GetPolicyResponse getPolicy(GetPolicyRequest req) {
        return invoke("GetPolicy", () -> GetPolicyResponse.builder().policy(policy(req.policyArn()).toPolicy()).build());
    }

    @Override
    public DeletePolicyResponse deletePolicy(DeletePolicyRequest req) {
        return invoke("DeletePolicy", () -> {
            PolicyState p = policy(req.policyArn());
            if (p.attachments > 0) {
                throw error("DeleteConflict", 409, "Cannot delete a policy attached to entities.");
            }
            policies.remove(p.arn);
            return DeletePolicyResponse.builder().build();
        });
    }

    @Override
    public CreateOpenIdConnectProviderResponse createOpenIDConnectProvider(CreateOpenIdConnectProviderRequest req) {
        return invoke("CreateOpenIDConnectProvider", () -> {
            String url = req.url();
            if (url == null || url.isEmpty() || url.length() > 255) {
                throw validation(url, "url", "Member must have length between 1 and 255");
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw error("InvalidInput", 400, "Invalid OpenID Connect provider URL: " + url);
            }
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() != -1 || uri.getQuery() != null || uri.getFragment() != null) {
                throw error("InvalidInput", 400, "The URL must begin with https:// and must not contain a port, query or fragment: " + url);
            }
            List<String> clientIds = req.hasClientIDList() ? req.clientIDList() : List.of();
            if (clientIds.size() > 100) {
                throw error("LimitExceeded", 409, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
            }
            clientIds.forEach(this::validateClientId);
            List<String> thumbprints = req.hasThumbprintList() ? req.thumbprintList() : List.of();
            validateThumbprints(thumbprints);
            String hostPath = stripScheme(url);
            String arn = "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + hostPath;
            if (providers.containsKey(arn)) {
                throw error("EntityAlreadyExists", 409, "Provider with url " + url + " already exists.");
            }
            if (providers.size() >= 100) {
                throw error("LimitExceeded", 409, "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100");
            }
            ProviderState p = new ProviderState(arn, hostPath, clock.instant());
            p.clientIds.addAll(clientIds);
            p.thumbprints.addAll(thumbprints);
            p.tags.putAll(validateTags(new LinkedHashMap<>(), req.tags()));
            p.usableAt = clock.instant().plus(propagationDelay);
            providers.put(arn, p);
            return CreateOpenIdConnectProviderResponse.builder().openIDConnectProviderArn(arn).tags(toTags(p.tags)).build();
        });
    }

    @Override
    public GetOpenIdConnectProviderResponse getOpenIDConnectProvider(GetOpenIdConnectProviderRequest req) {
        return invoke("GetOpenIDConnectProvider", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            return GetOpenIdConnectProviderResponse.builder().url(p.hostPath).clientIDList(List.copyOf(p.clientIds))
                    .thumbprintList(List.copyOf(p.thumbprints)).createDate(p.created).tags(toTags(p.tags)).build();
        });
    }

    @Override
    public ListOpenIdConnectProvidersResponse listOpenIDConnectProviders(ListOpenIdConnectProvidersRequest req) {
        return invoke("ListOpenIDConnectProviders", () -> ListOpenIdConnectProvidersResponse.builder()
                .openIDConnectProviderList(providers.keySet().stream().map(a -> OpenIDConnectProviderListEntry.builder().arn(a).build()).toList())
                .build());
    }

    @Override
    public DeleteOpenIdConnectProviderResponse deleteOpenIDConnectProvider(DeleteOpenIdConnectProviderRequest req) {
        // IAM documents this call as idempotent: a missing provider is not an error.
        return invoke("DeleteOpenIDConnectProvider", () -> {
            providers.remove(req.openIDConnectProviderArn());
            return DeleteOpenIdConnectProviderResponse.builder().build();
        });
    }

    @Override
    public AddClientIdToOpenIdConnectProviderResponse addClientIDToOpenIDConnectProvider(AddClientIdToOpenIdConnectProviderRequest req) {
        return invoke("AddClientIDToOpenIDConnectProvider", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            validateClientId(req.clientID());
            if (!p.clientIds.contains(req.clientID())) {
                if (p.clientIds.size() >= 100) {
                    throw error("LimitExceeded", 409, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
                }
                p.clientIds.add(req.clientID());
            }
            return AddClientIdToOpenIdConnectProviderResponse.builder().build();
        });
    }

    @Override
    public RemoveClientIdFromOpenIdConnectProviderResponse removeClientIDFromOpenIDConnectProvider(RemoveClientIdFromOpenIdConnectProviderRequest req) {
        return invoke("RemoveClientIDFromOpenIDConnectProvider", () -> {
            provider(req.openIDConnectProviderArn()).clientIds.remove(req.clientID());
            return RemoveClientIdFromOpenIdConnectProviderResponse.builder().build();
        });
    }

    @Override
    public UpdateOpenIdConnectProviderThumbprintResponse updateOpenIDConnectProviderThumbprint(UpdateOpenIdConnectProviderThumbprintRequest req) {
        return invoke("UpdateOpenIDConnectProviderThumbprint", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            validateThumbprints(req.thumbprintList());
            p.thumbprints.clear();
            p.thumbprints.addAll(req.thumbprintList());
            return UpdateOpenIdConnectProviderThumbprintResponse.builder().build();
        });
    }

    @Override
    public TagOpenIdConnectProviderResponse tagOpenIDConnectProvider(TagOpenIdConnectProviderRequest req) {
        return invoke("TagOpenIDConnectProvider", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            Map<String, String> merged = new LinkedHashMap<>(p.tags);
            validateTags(merged, req.tags());
            p.tags.clear();
            p.tags.putAll(merged);
            return TagOpenIdConnectProviderResponse.builder().build();
        });
    }

    @Override
    public UntagOpenIdConnectProviderResponse untagOpenIDConnectProvider(UntagOpenIdConnectProviderRequest req) {
        return invoke("UntagOpenIDConnectProvider", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            req.tagKeys().forEach(p.tags::remove);
            return UntagOpenIdConnectProviderResponse.builder().build();
        });
    }

    @Override
    public ListOpenIdConnectProviderTagsResponse listOpenIDConnectProviderTags(ListOpenIdConnectProviderTagsRequest req) {
        return invoke("ListOpenIDConnectProviderTags", () -> {
            ProviderState p = provider(req.openIDConnectProviderArn());
            Page<Tag> page = page(toTags(p.tags), req.marker(), req.maxItems());
            return ListOpenIdConnectProviderTagsResponse.builder().tags(page.items).isTruncated(page.truncated).marker(page.marker).build();
        });
    }

    @Override
    public GetAccountSummaryResponse getAccountSummary(GetAccountSummaryRequest req) {
        return invoke("GetAccountSummary", () -> {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("Roles", roles.size());
            m.put("RolesQuota", 1000);
            m.put("AssumeRolePolicySizeQuota", trustPolicyQuota);
            m.put("RolePolicySizeQuota", 10240);
            m.put("AttachedPoliciesPerRoleQuota", 10);
            m.put("PolicySizeQuota", 6144);
            m.put("Policies", (int) policies.keySet().stream().filter(a -> !a.contains(":iam::aws:")).count());
            m.put("PoliciesQuota", 1500);
            m.put("Providers", providers.size());
            return GetAccountSummaryResponse.builder().summaryMapWithStrings(m).build();
        });
    }

    // ---- users (the caller's own policies, for SimulatePrincipalPolicy) ----

    @Override
    public CreateUserResponse createUser(CreateUserRequest req) {
        return invoke("CreateUser", () -> {
            validateRoleName(req.userName());
            String path = req.path() == null ? "/" : req.path();
            validatePath(path);
            if (users.containsKey(req.userName().toLowerCase(Locale.ROOT))) {
                throw error("EntityAlreadyExists", 409, "User with name " + req.userName() + " already exists.");
            }
            UserState u = new UserState(req.userName(), path, "AIDA" + randomId(17));
            users.put(req.userName().toLowerCase(Locale.ROOT), u);
            return CreateUserResponse.builder().user(u.toUser()).build();
        });
    }

    @Override
    public GetUserResponse getUser(GetUserRequest req) {
        return invoke("GetUser", () -> GetUserResponse.builder().user(user(req.userName()).toUser()).build());
    }

    @Override
    public PutUserPolicyResponse putUserPolicy(PutUserPolicyRequest req) {
        return invoke("PutUserPolicy", () -> {
            UserState u = user(req.userName());
            validatePolicyName(req.policyName());
            validatePolicyDocument(req.policyDocument());
            u.inline.put(req.policyName(), req.policyDocument());
            return PutUserPolicyResponse.builder().build();
        });
    }

    @Override
    public DeleteUserPolicyResponse deleteUserPolicy(DeleteUserPolicyRequest req) {
        return invoke("DeleteUserPolicy", () -> {
            if (user(req.userName()).inline.remove(req.policyName()) == null) {
                throw error("NoSuchEntity", 404, "The user policy with name " + req.policyName() + " cannot be found.");
            }
            return DeleteUserPolicyResponse.builder().build();
        });
    }

    @Override
    public AttachUserPolicyResponse attachUserPolicy(AttachUserPolicyRequest req) {
        return invoke("AttachUserPolicy", () -> {
            UserState u = user(req.userName());
            u.attached.add(policy(req.policyArn()).arn);
            return AttachUserPolicyResponse.builder().build();
        });
    }

    @Override
    public DetachUserPolicyResponse detachUserPolicy(DetachUserPolicyRequest req) {
        return invoke("DetachUserPolicy", () -> {
            if (!user(req.userName()).attached.remove(req.policyArn())) {
                throw error("NoSuchEntity", 404, "Policy " + req.policyArn() + " was not found.");
            }
            return DetachUserPolicyResponse.builder().build();
        });
    }

    /**
     * Decides each action on each resource from the user's or role's identity policies (and a role's permissions
     * boundary), as {@link PolicySimulation} describes; IAM's API reference for SimulatePrincipalPolicy: the
     * source is a user, group or role ARN (NoSuchEntity when it does not exist), {@code ResourceArns} defaults to
     * {@code *}, and with several resources each action's result carries {@code ResourceSpecificResults}.
     */
    @Override
    public SimulatePrincipalPolicyResponse simulatePrincipalPolicy(SimulatePrincipalPolicyRequest req) {
        return invoke("SimulatePrincipalPolicy", () -> {
            if (req.actionNames() == null || req.actionNames().isEmpty()) {
                throw validation("[]", "actionNames", "Member must not be null");
            }
            PolicySimulation simulation = principalPolicies(req.policySourceArn());
            List<EvaluationResult> results = simulation.evaluate(req.actionNames(), req.resourceArns());
            return SimulatePrincipalPolicyResponse.builder().evaluationResults(results).isTruncated(false).build();
        });
    }

    private PolicySimulation principalPolicies(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[2].equals("iam")) {
            throw error("InvalidInput", 400, "Invalid ARN: " + arn);
        }
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        if (parts[4].equals(accountId) && parts[5].startsWith("user/") && users.containsKey(name.toLowerCase(Locale.ROOT))) {
            UserState u = users.get(name.toLowerCase(Locale.ROOT));
            return new PolicySimulation(documents(u.inline, u.attached), Optional.empty());
        }
        if (parts[4].equals(accountId) && parts[5].startsWith("role/") && roles.containsKey(name.toLowerCase(Locale.ROOT))) {
            RoleState r = roles.get(name.toLowerCase(Locale.ROOT));
            return new PolicySimulation(documents(r.inline, r.attached), Optional.ofNullable(r.boundary).map(b -> policy(b).document));
        }
        throw error("NoSuchEntity", 404, "The entity " + arn + " cannot be found.");
    }

    private List<String> documents(Map<String, String> inline, Set<String> attached) {
        List<String> all = new ArrayList<>(inline.values());
        attached.stream().map(a -> policy(a).document).forEach(all::add);
        return all;
    }

    private UserState user(String name) {
        UserState u = name == null ? null : users.get(name.toLowerCase(Locale.ROOT));
        if (u == null) {
            throw error("NoSuchEntity", 404, "The user with name " + name + " cannot be found.");
        }
        return u;
    }

    // ---- behaviour shared by the calls ----

    private RoleState role(String name) {
        if (name == null) {
            throw validation(null, "roleName", "Member must not be null");
        }
        RoleState r = roles.get(name.toLowerCase(Locale.ROOT));
        if (r == null) {
            throw error("NoSuchEntity", 404, "The role with name " + name + " cannot be found.");
        }
        return r;
    }

    private ProviderState provider(String arn) {
        ProviderState p = providers.get(arn);
        if (p == null) {
            throw error("NoSuchEntity", 404, "OpenIDConnect Provider not found for arn " + arn);
        }
        return p;
    }

    private PolicyState policy(String arn) {
        PolicyState p = policies.get(arn);
        if (p == null) {
            throw error("NoSuchEntity", 404, "Policy " + arn + " was not found.");
        }
        return p;
    }

    private void requirePolicy(String arn) {
        if (!policies.containsKey(arn)) {
            throw error("NoSuchEntity", 404, "Scope ARN: " + arn + " does not exist or is not attachable.");
        }
    }

    private boolean propagated(Instant usableAt) {
        return !clock.instant().isBefore(usableAt);
    }

    private void validateRoleName(String name) {
        if (name == null || name.isEmpty()) {
            throw validation(name, "roleName", "Member must have length greater than or equal to 1");
        }
        if (name.length() > 64) {
            throw validation(name, "roleName", "Member must have length less than or equal to 64");
        }
        if (!ROLE_NAME.matcher(name).matches()) {
            throw validation(name, "roleName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
    }

    private void validatePath(String path) {
        if (path.length() > 512) {
            throw validation(path, "path", "Member must have length less than or equal to 512");
        }
        if (!PATH.matcher(path).matches()) {
            throw validation(path, "path", "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
    }

    private void validateMaxSession(int seconds) {
        if (seconds < 3600 || seconds > 43200) {
            throw validation(seconds, "maxSessionDuration", seconds < 3600
                    ? "Member must have value greater than or equal to 3600" : "Member must have value less than or equal to 43200");
        }
    }

    private void validatePolicyName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || !ROLE_NAME.matcher(name).matches()) {
            throw validation(name, "policyName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length 1-128");
        }
    }

    private IamPolicy validatePolicyDocument(String doc) {
        if (doc == null || doc.isEmpty()) {
            throw validation(doc, "policyDocument", "Member must have length greater than or equal to 1");
        }
        if (!POLICY_CHARS.matcher(doc).matches()) {
            throw validation("(document)", "policyDocument", "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
        }
        try {
            return IamPolicy.fromJson(doc);
        } catch (RuntimeException e) {
            throw error("MalformedPolicyDocument", 400, "Syntax errors in policy.");
        }
    }

    private void validateTrust(String doc) {
        IamPolicy policy = validatePolicyDocument(doc);
        if (sizeWithoutWhitespace(doc) > trustPolicyQuota) {
            throw error("LimitExceeded", 409, "Cannot exceed quota for ACLSizePerRole: " + trustPolicyQuota);
        }
        for (IamStatement st : policy.statements()) {
            if (!st.resources().isEmpty()) {
                throw error("MalformedPolicyDocument", 400, "Has prohibited field Resource");
            }
            if (st.principals().isEmpty() && st.notPrincipals().isEmpty()) {
                throw error("MalformedPolicyDocument", 400, "AssumeRolepolicy contained an invalid principal: Missing required field Principal");
            }
            for (IamPrincipal p : st.principals()) {
                // IAM checks a Federated OIDC provider ARN of this account exists (and has propagated).
                String id = p.id();
                if ("Federated".equals(p.type().value()) && id.startsWith("arn:") && id.contains(":oidc-provider/")
                        && id.contains(":" + accountId + ":")) {
                    ProviderState prov = providers.get(id);
                    if (prov == null || !propagated(prov.usableAt)) {
                        throw error("MalformedPolicyDocument", 400, "Invalid principal in policy: \"Federated\":\"" + id + "\"");
                    }
                }
            }
        }
    }

    private Map<String, String> validateTags(Map<String, String> into, List<Tag> tags) {
        if (tags != null) {
            for (Tag t : tags) {
                String k = t.key();
                String v = t.value();
                if (k == null || k.isEmpty() || k.length() > 128 || !TAG_CHARS.matcher(k).matches()) {
                    throw error("InvalidInput", 400, "1 validation error detected: Value '" + k + "' at 'tags.member.key' failed to satisfy constraint");
                }
                if (k.regionMatches(true, 0, "aws:", 0, 4)) {
                    throw error("InvalidInput", 400, "User-defined tag keys can't start with 'aws:'.");
                }
                if (v == null || v.length() > 256 || !TAG_CHARS.matcher(v).matches()) {
                    throw error("InvalidInput", 400, "1 validation error detected: Value '" + v + "' at 'tags.member.value' failed to satisfy constraint");
                }
                into.put(k, v);
            }
        }
        if (into.size() > 50) {
            throw error("LimitExceeded", 409, "The number of tags has reached the maximum limit.");
        }
        return into;
    }

    private void validateClientId(String id) {
        if (id == null || id.isEmpty() || id.length() > 255) {
            throw validation(id, "clientID", "Member must have length between 1 and 255");
        }
    }

    private void validateThumbprints(List<String> thumbprints) {
        if (thumbprints.size() > 5) {
            throw validation(thumbprints.size(), "thumbprintList", "Member must have length less than or equal to 5");
        }
        for (String t : thumbprints) {
            if (t == null || !THUMBPRINT.matcher(t).matches()) {
                throw validation(t, "thumbprintList.member", "Member must have length 40 and be hexadecimal");
            }
        }
    }

    private String randomId(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(ids.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static int sizeWithoutWhitespace(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** IAM returns documents URL-encoded (RFC 3986: spaces as %20). */
    static String encode(String doc) {
        return doc == null ? null : URLEncoder.encode(doc, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripScheme(String url) {
        String s = url.startsWith("https://") ? url.substring("https://".length()) : url;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private <T> Page<T> page(List<T> all, String marker, Integer maxItems) {
        int max = maxItems == null ? 100 : maxItems;
        if (max < 1 || max > 1000) {
            throw validation(max, "maxItems", "Member must have value between 1 and 1000");
        }
        int start = 0;
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(marker), StandardCharsets.UTF_8).substring("page:".length()));
            } catch (RuntimeException e) {
                throw error("InvalidInput", 400, "Invalid Marker.");
            }
        }
        int end = Math.min(all.size(), start + max);
        List<T> items = start >= all.size() ? List.of() : List.copyOf(all.subList(start, end));
        boolean truncated = end < all.size();
        String next = truncated ? java.util.Base64.getEncoder().encodeToString(("page:" + end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(items, truncated, next);
    }

    private record Page<T>(List<T> items, boolean truncated, String marker) {
    }

    private static IamException validation(Object value, String member, String constraint) {
        return error("ValidationError", 400, "1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    /** IAM's own exception type for an error code, as the SDK would unmarshal it. */
    static IamException error(String code, int status, String message) {
        IamException.Builder b = switch (code) {
            case "NoSuchEntity" -> NoSuchEntityException.builder();
            case "EntityAlreadyExists" -> EntityAlreadyExistsException.builder();
            case "DeleteConflict" -> DeleteConflictException.builder();
            case "LimitExceeded" -> LimitExceededException.builder();
            case "MalformedPolicyDocument" -> MalformedPolicyDocumentException.builder();
            case "InvalidInput" -> InvalidInputException.builder();
            case "ServiceFailure" -> ServiceFailureException.builder();
            case "ConcurrentModification" -> ConcurrentModificationException.builder();
            default -> IamException.builder();
        };
        b.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("Iam").build());
        return (IamException) b.build();
    }

    private final class UserState {
        final String name;
        final String path;
        final String id;
        final Map<String, String> inline = new LinkedHashMap<>();
        final Set<String> attached = new LinkedHashSet<>();

        UserState(String name, String path, String id) {
            this.name = name;
            this.path = path;
            this.id = id;
        }

        User toUser() {
            return User.builder().userName(name).path(path).userId(id).arn("arn:" + partition + ":iam::" + accountId + ":user" + path + name)
                    .createDate(clock.instant()).build();
        }
    }

    private final class RoleState {
        final String name;
        final String path;
        final String id;
        final Instant created;
        String trust;
        String description;
        int maxSession = 3600;
        String boundary;
        Instant usableAt;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, String> inline = new LinkedHashMap<>();
        final Set<String> attached = new LinkedHashSet<>();

        RoleState(String name, String path, String id, Instant created) {
            this.name = name;
            this.path = path;
            this.id = id;
            this.created = created;
        }

        String arn() {
            return "arn:" + partition + ":iam::" + accountId + ":role" + path + name;
        }

        /** As GetRole returns it (full) or ListRoles (no tags, no boundary). Documents URL-encoded, like IAM. */
        Role toRole(boolean full) {
            Role.Builder b = Role.builder().roleName(name).path(path).roleId(id).arn(arn()).createDate(created)
                    .assumeRolePolicyDocument(encode(trust)).description(description).maxSessionDuration(maxSession);
            if (full) {
                if (boundary != null) {
                    b.permissionsBoundary(AttachedPermissionsBoundary.builder().permissionsBoundaryArn(boundary)
                            .permissionsBoundaryType(PermissionsBoundaryAttachmentType.PERMISSIONS_BOUNDARY_POLICY).build());
                }
                if (!tags.isEmpty()) {
                    b.tags(toTags(tags));
                }
            }
            return b.build();
        }
    }

    private static final class ProviderState {
        final String arn;
        final String hostPath;
        final Instant created;
        Instant usableAt;
        final List<String> clientIds = new ArrayList<>();
        final List<String> thumbprints = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        ProviderState(String arn, String hostPath, Instant created) {
            this.arn = arn;
            this.hostPath = hostPath;
            this.created = created;
        }
    }

    private static final class PolicyState {
        final String arn;
        final String name;
        final String path;
        final String document;
        final Instant created;
        final Map<String, String> tags;
        int attachments;

        PolicyState(String arn, String name, String path, String document, Instant created, Map<String, String> tags) {
            this.arn = arn;
            this.name = name;
            this.path = path;
            this.document = document;
            this.created = created;
            this.tags = Map.copyOf(tags);
        }

        Policy toPolicy() {
            return Policy.builder().arn(arn).policyName(name).path(path).policyId("ANPA" + Integer.toHexString(arn.hashCode()).toUpperCase(Locale.ROOT))
                    .defaultVersionId("v1").attachmentCount(attachments).isAttachable(true).createDate(created)
                    .tags(toTags(tags)).build();
        }
    }

    /** Builds a {@link FakeIam}; everything optional. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> { };
        private String accountId = "123456789012";
        private String partition = "aws";
        private long seed = 42;

        private Builder() {
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where injected latency is spent (a {@link ManualClock#sleeper()} in tests). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder partition(String partition) {
            this.partition = partition;
            return this;
        }

        /** Seed for generated ids (role ids), so runs are reproducible. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FakeIam build() {
            return new FakeIam(this);
        }
    }
}
