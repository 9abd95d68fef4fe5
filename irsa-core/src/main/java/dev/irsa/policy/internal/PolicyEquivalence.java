package dev.irsa.policy.internal;

import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.policybuilder.iam.IamValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Semantic equality of policies, for plan's "is the live document already what we want?": ignores the
 * order of statements, principals, actions, resources and condition values, the single-value-vs-list
 * shape, the case of action names and condition keys (IAM treats both case-insensitively), and an
 * absent vs. {@code 2012-10-17} Version. Values stay case-sensitive.
 */
public final class PolicyEquivalence {
    private PolicyEquivalence() {
    }

    public static boolean equivalent(IamPolicy a, IamPolicy b) {
        return normalize(a).equals(normalize(b));
    }

    private static List<String> normalize(IamPolicy policy) {
        List<String> statements = new ArrayList<>();
        for (IamStatement s : policy.statements()) {
            statements.add(String.join("\n",
                    "sid=" + Objects.toString(s.sid(), ""),
                    "effect=" + s.effect().value(),
                    "principal=" + sorted(s.principals().stream().map(p -> p.type().value() + "=" + p.id()).toList(), false),
                    "notPrincipal=" + sorted(s.notPrincipals().stream().map(p -> p.type().value() + "=" + p.id()).toList(), false),
                    "action=" + sorted(values(s.actions()), true),
                    "notAction=" + sorted(values(s.notActions()), true),
                    "resource=" + sorted(values(s.resources()), false),
                    "notResource=" + sorted(values(s.notResources()), false),
                    "condition=" + sorted(s.conditions().stream().map(PolicyEquivalence::condition).toList(), false)));
        }
        statements.sort(null);
        statements.add(0, "version=" + Objects.toString(policy.version(), "2012-10-17") + " id=" + Objects.toString(policy.id(), ""));
        return statements;
    }

    private static String condition(IamCondition c) {
        return c.operator().value() + "|" + c.key().value().toLowerCase(Locale.ROOT) + "|" + c.value();
    }

    private static List<String> values(Collection<? extends IamValue> values) {
        return values.stream().map(IamValue::value).toList();
    }

    private static String sorted(List<String> values, boolean ignoreCase) {
        TreeSet<String> set = new TreeSet<>();
        values.forEach(v -> set.add(ignoreCase ? v.toLowerCase(Locale.ROOT) : v));
        return set.toString();
    }
}
