package dev.irsa.kubernetes;

import java.util.List;

/**
 * The runner-token Secret as found. Says whether the token matches, never what it is.
 *
 * @param drift differing fields; token values are described ("a different token"), never shown
 */
public record SecretObservation(String namespace, String name, Ownership ownership, boolean tokenMatches,
                                List<Drift> drift) {
    public SecretObservation {
        drift = List.copyOf(drift);
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }

    public boolean inSync() {
        return ownership.ownedByStack() && drift.isEmpty();
    }
}
