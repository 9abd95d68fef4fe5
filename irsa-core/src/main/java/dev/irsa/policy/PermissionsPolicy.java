package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.policy.internal.DefaultPermissionsPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.function.Consumer;

/**
 * What the role may do once assumed: an identity policy (no Principal), built over iam-policy-builder's
 * {@link IamStatement} or read from JSON. Immutable.
 *
 * <pre>{@code
 * PermissionsPolicy readBuckets = PermissionsPolicy.builder()
 *         .addStatement(s -> s.effect(IamEffect.ALLOW)
 *                             .addAction("s3:GetObject")
 *                             .addAction("s3:ListBucket")
 *                             .addResource("arn:aws:s3:::artifacts")
 *                             .addResource("arn:aws:s3:::artifacts/*"))
 *         .build();
 * readBuckets.toJson();
 *
 * // The walkthrough's policy loads unchanged, and the linter flags its iam:* grant:
 * PermissionsPolicy admin = PermissionsPolicy.fromJson(Files.readString(Path.of("eks-admin-policy.json")));
 * PolicyLinter.lintPermissions(admin).findings();   // IRSA-P002 ERROR ... iam:* ...
 * }</pre>
 */
public interface PermissionsPolicy {
    /** The largest inline policy set IAM stores per role (characters without whitespace). */
    int MAX_INLINE_SIZE = 10240;
    /** The largest managed policy IAM stores (characters without whitespace). */
    int MAX_MANAGED_SIZE = 6144;

    /**
     * Parses a permissions policy, plain or URL-encoded as IAM returns it.
     *
     * @throws ValidationException (field {@code permissionsPolicy...}) for unknown elements, a Principal,
     *                             a missing Effect/Action/Resource or characters IAM rejects
     */
    static PermissionsPolicy fromJson(String json) {
        return DefaultPermissionsPolicy.fromJson(json);
    }

    /** A builder; see the class example. */
    static Builder builder() {
        return DefaultPermissionsPolicy.builder();
    }

    /** A permissions policy from an iam-policy-builder model, validated like {@link #fromJson}. */
    static PermissionsPolicy fromIamPolicy(IamPolicy policy) {
        return DefaultPermissionsPolicy.fromIamPolicy(policy);
    }

    /** Same meaning to IAM, see {@link TrustPolicy#equivalentTo}. */
    boolean equivalentTo(PermissionsPolicy other);

    /** Compact JSON in the shape it was read in ({@code "Statement"} a list for built policies). */
    String toJson();

    /** JSON, pretty-printed by {@link software.amazon.awssdk.policybuilder.iam.IamPolicyWriter} when {@code pretty}. */
    String toJson(boolean pretty);

    /** The iam-policy-builder model of this policy. */
    IamPolicy toIamPolicy();

    /** Characters of {@link #toJson()} that are not whitespace, as IAM counts them. */
    int size();

    /** Builds a permissions policy; {@code Version} is always {@code 2012-10-17}. */
    interface Builder {
        /** The optional policy {@code Id}. */
        Builder id(String id);

        /** Adds a statement built with iam-policy-builder. */
        Builder addStatement(IamStatement statement);

        /** Adds a statement configured on a fresh {@link IamStatement.Builder}. */
        Builder addStatement(Consumer<IamStatement.Builder> statement);

        /** @throws ValidationException for an empty or malformed policy, or one over {@value PermissionsPolicy#MAX_INLINE_SIZE} characters */
        PermissionsPolicy build();
    }
}
