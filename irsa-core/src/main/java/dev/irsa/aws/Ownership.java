package dev.irsa.aws;

import dev.irsa.validation.Validators;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which irsa stack owns a resource: the tags {@code irsa.dev/managed-by=irsa} and
 * {@code irsa.dev/stack=<stack>} on every IAM role and OIDC provider irsa creates.
 *
 * <pre>{@code
 * Ownership owner = Ownership.of("ci");
 * owner.tags();                                     // {irsa.dev/managed-by=irsa, irsa.dev/stack=ci}
 * owner.owns(Map.of("irsa.dev/managed-by", "irsa", "irsa.dev/stack", "ci"));  // true
 * }</pre>
 */
public record Ownership(String stack) {
    public static final String MANAGED_BY_KEY = "irsa.dev/managed-by";
    public static final String MANAGED_BY_VALUE = "irsa";
    public static final String STACK_KEY = "irsa.dev/stack";

    public Ownership {
        Objects.requireNonNull(stack, "stack");
        Validators.awsTags("ownership.stack", Map.of(STACK_KEY, stack));
        Validators.notBlank("ownership.stack", stack);
    }

    public static Ownership of(String stack) {
        return new Ownership(stack);
    }

    /** The two ownership tags, in a stable order. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(MANAGED_BY_KEY, MANAGED_BY_VALUE);
        tags.put(STACK_KEY, stack);
        return tags;
    }

    /** True when the tags mark a resource as this stack's. */
    public boolean owns(Map<String, String> tags) {
        return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY_KEY)) && stack.equals(tags.get(STACK_KEY));
    }

    /** True when the tags mark a resource as managed by irsa, whichever stack. */
    public static boolean managedByIrsa(Map<String, String> tags) {
        return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY_KEY));
    }

    static String describe(Map<String, String> tags) {
        if (!tags.containsKey(MANAGED_BY_KEY)) {
            return "no " + MANAGED_BY_KEY + " tag";
        }
        return MANAGED_BY_KEY + "=" + tags.get(MANAGED_BY_KEY) + ", " + STACK_KEY + "=" + tags.get(STACK_KEY);
    }
}
