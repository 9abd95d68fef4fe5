package dev.irsa.gitlab.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A runner as GitLab reports it ({@code GET /runners/:id}, never its token). {@code status}: online, offline,
 * never_contacted, stale; {@code paused} is a flag of its own (GitLab's {@code Entities::Ci::Runner} exposes
 * {@code paused} beside {@code status}).
 *
 * @param runnerType     GitLab's {@code runner_type} (project_type, group_type, instance_type); null when not reported
 * @param projectIds     the projects a project runner is assigned to
 * @param projectPaths   their paths ({@code path_with_namespace}), in the same order
 * @param locked         {@code locked}: a project runner cannot be assigned to other projects
 * @param runUntagged    {@code run_untagged}: it also picks jobs without tags
 * @param paused         {@code paused}: it picks no new job
 * @param maximumTimeout {@code maximum_timeout} in seconds; empty when GitLab has none
 */
public record RunnerInfo(long id, String description, List<String> tags, boolean online, String status,
                         Optional<Instant> contactedAt, String accessLevel, String runnerType, List<Long> projectIds,
                         List<String> projectPaths, boolean locked, boolean runUntagged, boolean paused,
                         Optional<Integer> maximumTimeout) {
    public RunnerInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
        contactedAt = contactedAt == null ? Optional.empty() : contactedAt;
        projectIds = projectIds == null ? List.of() : List.copyOf(projectIds);
        projectPaths = projectPaths == null ? List.of() : List.copyOf(projectPaths);
        maximumTimeout = maximumTimeout == null ? Optional.empty() : maximumTimeout;
    }

    /** True when every setting irsa gives the runner is as the spec wants it ({@link #drift} is empty). */
    public boolean matches(RunnerSpec spec) {
        return drift(spec).isEmpty();
    }

    /**
     * The GitLab fields ({@link RunnerSpec#settings()}) whose live value differs from the spec's: what
     * {@link GitLabExecutor#updateRunner} repairs.
     */
    public List<String> drift(RunnerSpec spec) {
        SortedMap<String, String> live = settings();
        List<String> drifted = new ArrayList<>();
        spec.settings().forEach((field, wanted) -> {
            if (!wanted.equals(live.get(field))) {
                drifted.add(field);
            }
        });
        return List.copyOf(drifted);
    }

    /** Every setting as {@link RunnerSpec#settings()} names it, {@code maximum_timeout} included ("none" when unset). */
    public SortedMap<String, String> settings() {
        return settings(RunnerSpec.withoutRegistration(description), tags, accessLevel, locked, runUntagged, paused,
                maximumTimeout, true);
    }

    static SortedMap<String, String> settings(String description, List<String> tags, String accessLevel, boolean locked,
                                              boolean runUntagged, boolean paused, Optional<Integer> maximumTimeout,
                                              boolean withMaximumTimeout) {
        SortedMap<String, String> s = new TreeMap<>(Map.of("description", description == null ? "" : description,
                "tag_list", String.join(",", new TreeSet<>(tags)), "access_level", String.valueOf(accessLevel),
                "locked", String.valueOf(locked), "run_untagged", String.valueOf(runUntagged), "paused", String.valueOf(paused)));
        if (withMaximumTimeout) {
            s.put("maximum_timeout", maximumTimeout.map(String::valueOf).orElse("none"));
        }
        return java.util.Collections.unmodifiableSortedMap(s);
    }

    /** True when the description carries the spec's marker {@code irsa:<stack>/<name>}. */
    public boolean hasMarker(RunnerSpec spec) {
        return spec.markedIn(description);
    }

    /**
     * True when this is the spec's runner where the spec wants it: its marker, its scope's runner type and,
     * for a project runner, assigned to the spec's project. (GitLab's runner details do not list a group
     * runner's groups to every reader; the marker and type are what {@link GitLabExecutor#findRunnerIds} checks too.)
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
