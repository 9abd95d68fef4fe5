package dev.irsa.aws.internal;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.policybuilder.iam.IamValue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** IAM policy documents as IAM returns them (URL-encoded) and compared by meaning, not by text. */
public final class PolicyDocuments {
    private PolicyDocuments() {
    }

    /** IAM's Get* calls return documents URL-encoded (RFC 3986); this undoes that and leaves plain JSON alone. */
    public static String decode(String document) {
        if (document == null) {
            return null;
        }
        String trimmed = document.trim();
        if (trimmed.startsWith("{")) {
            return document;
        }
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    /**
     * True when both documents say the same thing: same statements (in any order), each with the same
     * principals, actions, resources and conditions (in any order). Whitespace and key order do not count.
     */
    public static boolean equivalent(String a, String b) {
        return canonical(IamPolicy.fromJson(decode(a))).equals(canonical(IamPolicy.fromJson(decode(b))));
    }

    static List<String> canonical(IamPolicy policy) {
        List<String> statements = new ArrayList<>();
        for (IamStatement s : policy.statements()) {
            statements.add(String.join("|",
                    Objects.toString(s.sid(), ""),
                    s.effect().value(),
                    principals(s.principals()), principals(s.notPrincipals()),
                    values(s.actions()), values(s.notActions()),
                    values(s.resources()), values(s.notResources()),
                    new TreeSet<>(s.conditions().stream()
                            .map(c -> c.operator().value() + " " + c.key().value() + "=" + c.value()).toList()).toString()));
        }
        statements.sort(null);
        statements.add(0, Objects.toString(policy.version(), "") + "|" + Objects.toString(policy.id(), ""));
        return statements;
    }

    private static String principals(List<software.amazon.awssdk.policybuilder.iam.IamPrincipal> principals) {
        return new TreeSet<>(principals.stream().map(p -> p.type().value() + ":" + p.id()).toList()).toString();
    }

    private static String values(List<? extends IamValue> values) {
        return new TreeSet<>(values.stream().map(IamValue::value).toList()).toString();
    }
}
