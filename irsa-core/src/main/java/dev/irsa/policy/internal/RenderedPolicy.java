package dev.irsa.policy.internal;

import dev.irsa.validation.Validators;
import java.util.Objects;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/**
 * What trust and permissions policies share: an {@link IamPolicy}, the JSON shape it was read in (so it is
 * written back the same way), its compact JSON rendered once, and the size IAM counts.
 */
abstract class RenderedPolicy {
    final IamPolicy policy;
    final PolicyJson.Shape shape;
    final String compact;

    RenderedPolicy(IamPolicy policy, PolicyJson.Shape shape) {
        this.policy = policy;
        this.shape = shape;
        this.compact = PolicyJson.render(policy, shape, false);
    }

    /** An {@link IamPolicy} built elsewhere, as canonical JSON (to be parsed and checked like any input). */
    static String canonicalJson(IamPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return PolicyJson.render(policy, PolicyJson.Shape.canonical(), false);
    }

    public String toJson() {
        return compact;
    }

    public String toJson(boolean pretty) {
        return pretty ? PolicyJson.render(policy, shape, true) : compact;
    }

    public IamPolicy toIamPolicy() {
        return policy;
    }

    /** Characters without whitespace, as IAM counts them against its size quotas. */
    public int size() {
        return Validators.sizeWithoutWhitespace(compact);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy);
    }
}
