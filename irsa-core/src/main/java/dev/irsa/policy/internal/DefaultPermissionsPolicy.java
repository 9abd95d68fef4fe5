package dev.irsa.policy.internal;

import dev.irsa.ValidationException;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** The {@link PermissionsPolicy} implementation. */
public final class DefaultPermissionsPolicy extends RenderedPolicy implements PermissionsPolicy {

    private DefaultPermissionsPolicy(IamPolicy policy, PolicyJson.Shape shape) {
        super(policy, shape);
    }

    public static PermissionsPolicy fromJson(String json) {
        PolicyJson.Parsed parsed = PolicyJson.parse("permissionsPolicy", json, PolicyJson.Kind.PERMISSIONS);
        return new DefaultPermissionsPolicy(parsed.policy(), parsed.shape());
    }

    public static PermissionsPolicy.Builder builder() {
        return new BuilderImpl();
    }

    public static PermissionsPolicy fromIamPolicy(IamPolicy policy) {
        return fromJson(canonicalJson(policy));
    }

    @Override
    public boolean equivalentTo(PermissionsPolicy other) {
        return other != null && PolicyEquivalence.equivalent(policy, other.toIamPolicy());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefaultPermissionsPolicy other && policy.equals(other.policy);
    }

    @Override
    public String toString() {
        return "PermissionsPolicy" + compact;
    }

    private static final class BuilderImpl implements PermissionsPolicy.Builder {
        private final List<IamStatement> statements = new ArrayList<>();
        private String id;

        @Override
        public PermissionsPolicy.Builder id(String id) {
            this.id = Validators.notBlank("permissionsPolicy.Id", id);
            return this;
        }

        @Override
        public PermissionsPolicy.Builder addStatement(IamStatement statement) {
            statements.add(Objects.requireNonNull(statement, "statement"));
            return this;
        }

        @Override
        public PermissionsPolicy.Builder addStatement(Consumer<IamStatement.Builder> statement) {
            IamStatement.Builder b = IamStatement.builder();
            Objects.requireNonNull(statement, "statement").accept(b);
            return addStatement(b.build());
        }

        @Override
        public PermissionsPolicy build() {
            if (statements.isEmpty()) {
                throw new ValidationException("permissionsPolicy.Statement", null, "a permissions policy needs at least one statement");
            }
            IamPolicy policy = IamPolicy.builder().version("2012-10-17").id(id).statements(statements).build();
            String json = PolicyJson.render(policy, PolicyJson.Shape.canonical(), false);
            PolicyJson.parse("permissionsPolicy", json, PolicyJson.Kind.PERMISSIONS);
            int size = Validators.sizeWithoutWhitespace(json);
            if (size > MAX_INLINE_SIZE) {
                throw new ValidationException("permissionsPolicy", size + " characters",
                        "IAM stores at most " + MAX_INLINE_SIZE + " characters (not counting whitespace) of inline policy per role and "
                                + MAX_MANAGED_SIZE + " per managed policy; split it into managed policies");
            }
            return new DefaultPermissionsPolicy(policy, PolicyJson.Shape.canonical());
        }
    }
}
