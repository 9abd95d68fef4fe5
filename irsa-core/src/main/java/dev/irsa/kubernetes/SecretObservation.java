package dev.irsa.kubernetes;

import java.util.List;
import java.util.Optional;

/**
 * The runner-token Secret as found. Says whether the token matches, never what it is.
 *
 * @param drift    differing fields; token values are described ("a different token"), never shown
 * @param runnerId the runner id recorded in {@link IrsaMetadata#RUNNER_ID_ANNOTATION}; empty when the
 *                 Secret is absent, or was written before irsa recorded it, or the value is not a number
 */
public record SecretObservation(String namespace, String name, Ownership ownership, boolean tokenMatches,
                                List<Drift> drift, Optional<Long> runnerId) {
    public SecretObservation {
        drift = List.copyOf(drift);
        runnerId = runnerId == null ? Optional.empty() : runnerId;
    }

    /** Without a recorded runner id. */
    public SecretObservation(String namespace, String name, Ownership ownership, boolean tokenMatches, List<Drift> drift) {
        this(namespace, name, ownership, tokenMatches, drift, Optional.empty());
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }

    public boolean inSync() {
        return ownership.ownedByStack() && drift.isEmpty();
    }
}
