package dev.irsa.gitlab.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A runner as GitLab reports it (never its token). {@code status}: online, offline, never_contacted, paused, stale.
 *
 * @param runnerType GitLab's {@code runner_type} (project_type, group_type, instance_type); null when not reported
 * @param projectIds   the projects a project runner is assigned to
 * @param projectPaths their paths ({@code path_with_namespace}), in the same order
 */
public record RunnerInfo(long id, String description, List<String> tags, boolean online, String status,
                         Optional<Instant> contactedAt, String accessLevel, String runnerType, List<Long> projectIds,
                         List<String> projectPaths) {
    public RunnerInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
        contactedAt = contactedAt == null ? Optional.empty() : contactedAt;
        projectIds = projectIds == null ? List.of() : List.copyOf(projectIds);
        projectPaths = projectPaths == null ? List.of() : List.copyOf(projectPaths);
    }

    /** Without runner type and projects. */
    public RunnerInfo(long id, String description, List<String> tags, boolean online, String status,
                      Optional<Instant> contactedAt, String accessLevel) {
        this(id, description, tags, online, status, contactedAt, accessLevel, null, List.of(), List.of());
    }

    /**
     * True when tags and protection match the spec. (GitLab4J 6.2's RunnerDetail does not expose
     * {@code locked}/{@code run_untagged}; {@link GitLabExecutor#updateRunner} always sends them.)
     */
    public boolean matches(RunnerSpec spec) {
        return new java.util.HashSet<>(tags).equals(new java.util.HashSet<>(spec.tags())) && spec.accessLevel().equals(accessLevel);
    }

    /** True when the description carries the spec's marker {@code irsa:<stack>/<name>}. */
    public boolean hasMarker(RunnerSpec spec) {
        return spec.markedIn(description);
    }

    /**
     * True when this is the spec's runner where the spec wants it: its marker, its scope's runner type and,
     * for a project runner, assigned to the spec's project. (GitLab4J 6.2's RunnerDetail does not expose a
     * group runner's groups; the marker and type are what {@link GitLabExecutor#findRunnerIds} checks too.)
     */
    public boolean belongsTo(RunnerSpec spec) {
        if (!hasMarker(spec)) {
            return false;
        }
        String expectedType = switch (spec.scope()) {
            case PROJECT -> "project_type";
            case GROUP -> "group_type";
            case INSTANCE -> "instance_type";
        };
        if (runnerType != null && !runnerType.equals(expectedType)) {
            return false;
        }
        return spec.scope() != RunnerSpec.Scope.PROJECT || projectIds.contains(spec.projectId());
    }

    /**
     * True when this is a project runner (as far as GitLab reports its type) assigned to the project at
     * {@code projectPath}. GitLab paths are case-insensitive; a project reached through a redirect (renamed
     * or moved) does not match, and the caller then looks the runner up by the project's id.
     */
    public boolean assignedToProject(String projectPath) {
        return (runnerType == null || runnerType.equals("project_type"))
                && projectPaths.stream().anyMatch(p -> p.equalsIgnoreCase(projectPath));
    }
}
