package dev.irsa.gitlab.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A runner as GitLab reports it (never its token). {@code status}: online, offline, never_contacted, paused, stale. */
public record RunnerInfo(long id, String description, List<String> tags, boolean online, String status,
                         Optional<Instant> contactedAt, String accessLevel) {
    public RunnerInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
        contactedAt = contactedAt == null ? Optional.empty() : contactedAt;
    }

    /**
     * True when tags and protection match the spec. (GitLab4J 6.2's RunnerDetail does not expose
     * {@code locked}/{@code run_untagged}; {@link GitLabExecutor#updateRunner} always sends them.)
     */
    public boolean matches(RunnerSpec spec) {
        return new java.util.HashSet<>(tags).equals(new java.util.HashSet<>(spec.tags())) && spec.accessLevel().equals(accessLevel);
    }
}
