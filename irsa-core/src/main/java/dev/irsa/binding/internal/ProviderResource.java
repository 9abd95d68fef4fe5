package dev.irsa.binding.internal;

import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.ObservedOidcProvider;
import dev.irsa.aws.Ownership;
import dev.irsa.aws.ProviderStillTrustedException;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.KeptOnDestroyException;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IAM OIDC provider for the cluster's (or GitLab's) issuer; one for all the bindings of a plan that
 * trust it ({@link #merge}), with every audience they need as client ids.
 */
final class ProviderResource implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderResource.class);
    private final List<RoleBinding> bindings;
    private final BindingBackends backends;
    private final Resolution resolution;
    private final Ownership ownership;

    ProviderResource(RoleBinding binding, BindingBackends backends, Resolution resolution) {
        this(List.of(binding), backends, resolution);
    }

    private ProviderResource(List<RoleBinding> bindings, BindingBackends backends, Resolution resolution) {
        this.bindings = List.copyOf(bindings);
        this.backends = backends;
        this.resolution = resolution;
        this.ownership = Ownership.of(bindings.get(0).providerOwner());
    }

    @Override
    public ResourceId id() {
        return BindingResources.providerId(bindings.get(0));
    }

    @Override
    public String service() {
        return Services.IAM;
    }

    /**
     * Bindings sharing the provider must agree on who owns it: it carries one {@code irsa.dev/stack} tag, and
     * a provider tagged for another owner would be refused, or deleted with that owner's roles still trusting it.
     */
    @Override
    public Resource merge(Resource other) {
        if (!(other instanceof ProviderResource more)) {
            return Resource.super.merge(other);
        }
        RoleBinding first = bindings.get(0);
        RoleBinding next = more.bindings.get(0);
        if (!first.providerOwner().equals(next.providerOwner())) {
            throw new dev.irsa.ValidationException("binding " + next.name() + ".providerOwner", next.providerOwner(),
                    "bindings sharing OIDC provider " + id().name() + " mark it with one owner, and binding " + first.name()
                            + " says '" + first.providerOwner() + "': set providerOwner(\"" + first.providerOwner()
                            + "\") on every binding of that provider");
        }
        List<RoleBinding> all = new ArrayList<>(bindings);
        all.addAll(more.bindings);
        return new ProviderResource(all, backends, resolution);
    }

    private List<String> clientIds() {
        Set<String> ids = new TreeSet<>();
        for (RoleBinding binding : bindings) {
            ids.add(binding.mode() == IdentityMode.GITLAB_OIDC
                    ? binding.gitlabOidc().orElseThrow().effectiveAudience()
                    : binding.serviceAccount().orElseThrow().audience());
        }
        return List.copyOf(ids);
    }

    @Override
    public Observed observe() {
        // The account is known (resolved with the cluster), so the provider's ARN is too: one GetOpenIDConnectProvider.
        String url = resolution.provider().issuerUrl();
        Optional<ObservedOidcProvider> live = backends.aws().oidcProviders().observe(resolution.provider());
        if (live.isEmpty()) {
            return Observed.absent();
        }
        ObservedOidcProvider p = live.get();
        Fields fields = Fields.of(f -> BindingResources.putTags(f.put("url", url)
                .put("client_ids", String.join(",", new TreeSet<>(p.clientIds()))), p.tags()));
        Outputs outputs = Outputs.of(RoleBinding.PROVIDER_ARN, p.arn());
        return p.ownedBy(ownership) ? Observed.owned(fields, outputs) : Observed.foreign(fields, outputs);
    }

    @Override
    public Fields desired(Inputs inputs) {
        return Fields.of(f -> BindingResources.putTags(f.put("url", resolution.provider().issuerUrl())
                .put("client_ids", String.join(",", new TreeSet<>(clientIds()))), ownership.tags()));
    }

    @Override
    public List<FieldDiff> diff(Fields desired, Observed observed) {
        // The provider may list more client ids (other tools'): only missing ones are a difference.
        List<FieldDiff> diffs = new ArrayList<>();
        for (FieldDiff d : FieldDiff.between(observed.fields(), desired)) {
            if (d.name().equals("client_ids") && d.before().isPresent()) {
                Set<String> live = Set.of(BindingResources.text(d.before().get()).split(","));
                if (live.containsAll(List.of(BindingResources.text(d.after().orElseThrow()).split(",")))) {
                    continue;
                }
            }
            diffs.add(d);
        }
        return diffs;
    }

    @Override
    public Outputs apply(ApplyContext context) {
        DesiredOidcProvider desired = new DesiredOidcProvider(resolution.provider().issuerUrl(), clientIds(), List.of());
        // Planning found it absent: create without reading it again (an existing one is still found and checked).
        var result = context.change().action() == Action.CREATE
                ? backends.aws().oidcProviders().create(resolution.provider(), desired, ownership)
                : backends.aws().oidcProviders().ensure(resolution.provider(), desired, ownership, context.change().adopt());
        return Outputs.of(RoleBinding.PROVIDER_ARN, result.arn());
    }

    @Override
    public void delete(ApplyContext context) {
        try {
            backends.aws().oidcProviders().delete(resolution.provider(), ownership);
        } catch (ProviderStillTrustedException e) {
            // Shared by another role (another environment's of the same spec, or anyone's): it stays, and the
            // result says so instead of "deleted".
            LOG.info("keeping OIDC provider {}: still trusted by {}", id(), e.trustingRoles());
            throw new KeptOnDestroyException("still trusted by roles " + e.trustingRoles());
        }
    }
}
