package dev.irsa.kubernetes;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner-token Secret as found. Says whether the token matches, never what it is.
 *
 * @param drift    differing fields; token values are described ("a different token"), never shown
 * @param runnerId the runner id recorded in {@link IrsaMetadata#RUNNER_ID_ANNOTATION}; empty when the
 *                 Secret is absent, or was written before irsa recorded it, or the value is not a number
 * @param records  what else irsa recorded on the Secret: its {@code irsa.dev/} annotations other than the
 *                 runner id (see {@link #pendingRegistration()}, {@link #pipelineSha256()})
 */
public record SecretObservation(String namespace, String name, Ownership ownership, boolean tokenMatches,
                                List<Drift> drift, Optional<Long> runnerId, Map<String, String> records) {
    public SecretObservation {
        drift = List.copyOf(drift);
        runnerId = runnerId == null ? Optional.empty() : runnerId;
        records = records == null ? Map.of() : Map.copyOf(records);
    }

    /** Without a recorded runner id. */
    public SecretObservation(String namespace, String name, Ownership ownership, boolean tokenMatches, List<Drift> drift) {
        this(namespace, name, ownership, tokenMatches, drift, Optional.empty(), Map.of());
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }

    public boolean inSync() {
        return ownership.ownedByStack() && drift.isEmpty();
    }

    /** The nonce of a runner registration irsa started ({@link IrsaMetadata#RUNNER_REGISTRATION_ANNOTATION}). */
    public Optional<String> pendingRegistration() {
        return Optional.ofNullable(records.get(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION)).filter(n -> !n.isBlank());
    }

    /** The pipeline content hashes irsa recorded ({@link IrsaMetadata#PIPELINE_SHA256_ANNOTATION}), newest first. */
    public List<String> pipelineSha256() {
        String value = records.get(IrsaMetadata.PIPELINE_SHA256_ANNOTATION);
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
    }
}
