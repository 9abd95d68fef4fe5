package dev.irsa.binding.internal;

import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.ObservedRole;
import dev.irsa.aws.Ownership;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.RoleSpec;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.TrustPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The IAM role: trust policy from the policy model, inline and managed policies, boundary, tags. */
final class RoleResource implements Resource {
    private final RoleBinding binding;
    private final BindingBackends backends;
    private final Resolution resolution;
    private final Optional<ResourceId> provider;
    private final Ownership ownership;

    RoleResource(RoleBinding binding, BindingBackends backends, Resolution resolution, Optional<ResourceId> provider) {
        this.binding = binding;
        this.backends = backends;
        this.resolution = resolution;
        this.provider = provider;
        this.ownership = Ownership.of(binding.name());
    }

    @Override
    public ResourceId id() {
        return BindingResources.roleId(binding);
    }

    @Override
    public String service() {
        return Services.IAM;
    }

    @Override
    public Set<ResourceId> dependsOn() {
        return provider.map(Set::of).orElse(Set.of());
    }

    /** The ERROR findings the binding accepts, each with the acceptance that lets it through. */
    @Override
    public List<String> planNotes() {
        var report = binding.lint();
        return report.acceptedErrors().stream().map(f -> "accepted lint finding "
                + (report.accepted().contains(f.id()) ? f.id() : f.id() + "@" + f.scope()) + " (" + f.severity() + ") at "
                + f.location() + ": " + f.message()).toList();
    }

    DesiredRole desiredRole() {
        RoleSpec role = binding.role();
        DesiredRole.Builder b = DesiredRole.builder().name(role.name()).path(role.path())
                .maxSessionDurationSeconds(role.maxSessionDurationSeconds())
                .trustPolicyJson(binding.trustPolicy(resolution.provider()).toJson())
                .tags(role.tags());
        role.description().ifPresent(b::description);
        role.permissionsBoundaryArn().ifPresent(b::permissionsBoundaryArn);
        role.inlinePolicies().forEach((n, p) -> b.putInlinePolicy(n, p.toJson()));
        role.managedPolicyArns().forEach(b::addManagedPolicyArn);
        return b.build();
    }

    @Override
    public Observed observe() {
        Optional<ObservedRole> live = backends.aws().roles().observe(binding.role().name());
        if (live.isEmpty()) {
            return Observed.absent();
        }
        ObservedRole r = live.get();
        Fields.Builder f = Fields.builder()
                .put("path", r.path())
                .put("description", r.description() == null ? "" : r.description())
                .put("max_session_duration", Integer.toString(r.maxSessionDurationSeconds()))
                .put("permissions_boundary", r.permissionsBoundaryArn() == null ? "" : r.permissionsBoundaryArn())
                .put(BindingResources.TRUST, r.trustPolicyJson())
                .put("inline_policies", String.join(",", new TreeSet<>(r.inlinePolicies().keySet())))
                .put("managed_policies", String.join(",", new TreeSet<>(r.managedPolicyArns())));
        BindingResources.putTags(f, r.tags());
        r.inlinePolicies().forEach((n, json) -> f.put(BindingResources.INLINE + n, json));
        Outputs outputs = Outputs.of(RoleBinding.ROLE_ARN, r.arn());
        return r.ownedBy(ownership) ? Observed.owned(f.build(), outputs) : Observed.foreign(f.build(), outputs);
    }

    @Override
    public Fields desired(Inputs inputs) {
        DesiredRole d = desiredRole();
        Fields.Builder f = Fields.builder()
                .put("path", d.path())
                .put("description", d.description() == null ? "" : d.description())
                .put("max_session_duration", Integer.toString(d.maxSessionDurationSeconds()))
                .put("permissions_boundary", d.permissionsBoundaryArn() == null ? "" : d.permissionsBoundaryArn())
                .put(BindingResources.TRUST, d.trustPolicyJson())
                .put("inline_policies", String.join(",", new TreeSet<>(d.inlinePolicies().keySet())))
                .put("managed_policies", String.join(",", new TreeSet<>(d.managedPolicyArns())));
        // The tags written: the user's and the two ownership tags (apply adds them; live tags of others stay).
        Map<String, String> tags = new TreeMap<>(d.tags());
        tags.putAll(ownership.tags());
        BindingResources.putTags(f, tags);
        d.inlinePolicies().forEach((n, json) -> f.put(BindingResources.INLINE + n, json));
        return f.build();
    }

    @Override
    public List<FieldDiff> diff(Fields desired, Observed observed) {
        // Policy documents compare by meaning (IAM reorders and reformats them), everything else by text.
        return FieldDiff.between(observed.fields(), desired).stream().filter(d -> {
            if (d.before().isEmpty() || d.after().isEmpty()) {
                return true;
            }
            String live = BindingResources.text(d.before().get());
            String want = BindingResources.text(d.after().get());
            try {
                if (d.name().equals(BindingResources.TRUST)) {
                    return !TrustPolicy.fromJson(live).equivalentTo(TrustPolicy.fromJson(want));
                }
                if (d.name().startsWith(BindingResources.INLINE)) {
                    return !PermissionsPolicy.fromJson(live).equivalentTo(PermissionsPolicy.fromJson(want));
                }
            } catch (RuntimeException unparseable) {
                return true;   // a live document irsa cannot parse differs from what irsa wants
            }
            return true;
        }).toList();
    }

    @Override
    public Outputs apply(ApplyContext context) {
        // Planning found it absent: create without reading it again (an existing one is still found and checked).
        var result = context.change().action() == Action.CREATE
                ? backends.aws().roles().create(desiredRole(), ownership)
                : backends.aws().roles().ensure(desiredRole(), ownership, context.change().adopt());
        return Outputs.of(RoleBinding.ROLE_ARN, result.arn());
    }

    /** Removes the policies planning saw (the executor reads them again only if the delete conflicts). */
    @Override
    public void delete(ApplyContext context) {
        Fields seen = context.observed().fields();
        backends.aws().roles().delete(binding.role().name(), ownership, names(seen, "inline_policies"), names(seen, "managed_policies"));
    }

    private static Set<String> names(Fields fields, String field) {
        String joined = fields.get(field).map(BindingResources::text).orElse("");
        return joined.isEmpty() ? Set.of() : new TreeSet<>(List.of(joined.split(",")));
    }
}
