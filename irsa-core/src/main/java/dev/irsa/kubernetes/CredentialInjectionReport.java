package dev.irsa.kubernetes;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pods using a service account got the webhook's credentials.
 *
 * @param serviceAccountHasRole whether the service account carries {@code eks.amazonaws.com/role-arn} now
 * @param podsChecked           pods whose {@code spec.serviceAccountName} is the service account
 */
public record CredentialInjectionReport(String namespace, String serviceAccount, boolean serviceAccountHasRole,
                                        int podsChecked, List<PodWithoutCredentials> podsWithoutCredentials) {
    public CredentialInjectionReport {
        podsWithoutCredentials = List.copyOf(podsWithoutCredentials);
    }

    public boolean allInjected() {
        return podsWithoutCredentials.isEmpty();
    }

    /** Distinct owning workloads of the pods without credentials, in report order. */
    public Set<Workload> workloadsToRestart() {
        Set<Workload> out = new LinkedHashSet<>();
        podsWithoutCredentials.forEach(p -> out.add(p.owner()));
        return out;
    }
}
