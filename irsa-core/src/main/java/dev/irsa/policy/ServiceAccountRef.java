package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

/**
 * A Kubernetes service account: namespace (a DNS-1123 label, at most 63 characters) and name (a
 * DNS-1123 subdomain, at most 253). Its {@link #subject()} is the {@code sub} claim of the account's
 * projected tokens.
 *
 * <pre>{@code
 * ServiceAccountRef sa = new ServiceAccountRef("dev", "app-deployer");
 * sa.subject();                                  // "system:serviceaccount:dev:app-deployer"
 * ServiceAccountRef.parse("dev/app-deployer");   // equal to sa
 * new ServiceAccountRef("My_NS", "x");           // throws ValidationException (serviceAccount.namespace)
 * }</pre>
 */
public record ServiceAccountRef(String namespace, String name) {
    private static final String PREFIX = "system:serviceaccount:";

    /**
     * @param namespace a DNS-1123 label (at most 63 characters)
     * @param name      a DNS-1123 subdomain (at most 253 characters)
     * @throws dev.irsa.ValidationException for an invalid namespace or name
     */
    public ServiceAccountRef {
        Validators.namespace("serviceAccount.namespace", namespace);
        Validators.serviceAccountName("serviceAccount.name", name);
    }

    /** {@code namespace/name}. */
    public static ServiceAccountRef parse(String namespaceSlashName) {
        Validators.notBlank("serviceAccount", namespaceSlashName);
        int slash = namespaceSlashName.indexOf('/');
        if (slash < 0 || slash != namespaceSlashName.lastIndexOf('/')) {
            throw new ValidationException("serviceAccount", namespaceSlashName, "a service account is written namespace/name");
        }
        return new ServiceAccountRef(namespaceSlashName.substring(0, slash), namespaceSlashName.substring(slash + 1));
    }

    /** Parses a {@code sub} claim {@code system:serviceaccount:<ns>:<name>}. */
    public static ServiceAccountRef fromSubject(String subject) {
        Validators.notBlank("serviceAccount.subject", subject);
        if (!subject.startsWith(PREFIX) || subject.indexOf(':', PREFIX.length()) < 0) {
            throw new ValidationException("serviceAccount.subject", subject, "a service-account subject is system:serviceaccount:<namespace>:<name>");
        }
        String rest = subject.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return new ServiceAccountRef(rest.substring(0, colon), rest.substring(colon + 1));
    }

    /** {@code system:serviceaccount:<namespace>:<name>}. */
    public String subject() {
        return PREFIX + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
