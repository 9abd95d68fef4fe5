package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.testing.gitlab.FakeGitLab.FakeRunner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A runner in GitLab's JSON ({@code lib/api/entities/ci/runner.rb}, {@code runner_details.rb}) and its status as
 * {@code app/models/ci/runner.rb} computes it: {@code online?} is a contact within {@link FakeGitLab#ONLINE_WINDOW}
 * whether paused or not; the REST {@code status} is {@code deprecated_rest_status}: {@code stale} when neither
 * creation nor last contact is within {@link FakeGitLab#STALE_AFTER}, else {@code never_contacted} without a contact,
 * else {@code online}/{@code offline} when active and {@code paused} when not.
 */
final class RunnerJson {
    private final AccessStore access;
    private final Clock clock;
    private final Supplier<String> url;

    RunnerJson(AccessStore access, Clock clock, Supplier<String> url) {
        this.access = access;
        this.clock = clock;
        this.url = url;
    }

    boolean online(FakeRunner r) {
        return r.contactedAt != null && Duration.between(r.contactedAt, clock.instant()).compareTo(FakeGitLab.ONLINE_WINDOW) < 0;
    }

    /** {@code match_build_if_online?}: active and online (the tags are the caller's to match). */
    boolean picksJobs(FakeRunner r) {
        return !r.paused && online(r);
    }

    boolean stale(FakeRunner r) {
        Instant last = Stream.of(r.createdAt, r.contactedAt).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElseThrow();
        return !last.isAfter(clock.instant().minus(FakeGitLab.STALE_AFTER));
    }

    String status(FakeRunner r) {
        if (stale(r)) {
            return "stale";
        }
        if (r.contactedAt == null) {
            return "never_contacted";
        }
        if (!r.paused) {
            return online(r) ? "online" : "offline";
        }
        return "paused";
    }

    /** The list filters' scopes ({@code status=}): {@code scope :online, :offline, :never_contacted, :stale, :paused, :active}. */
    boolean inScope(FakeRunner r, String scope) {
        return switch (scope) {
            case "active" -> !r.paused;
            case "paused" -> r.paused;
            case "online" -> online(r);
            case "offline" -> r.contactedAt != null && !online(r);
            case "never_contacted" -> r.contactedAt == null;
            case "stale" -> stale(r);
            default -> false;
        };
    }

    ObjectNode summary(FakeRunner r) {
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("id", r.id);
        n.put("description", r.description);
        n.putNull("ip_address");
        n.put("active", !r.paused);
        n.put("paused", r.paused);
        n.put("is_shared", r.runnerType.equals("instance_type"));
        n.put("runner_type", r.runnerType);
        n.putNull("name");
        n.put("online", online(r));
        n.put("created_at", time(r.createdAt));
        n.put("status", status(r));
        return n;
    }

    ObjectNode detail(FakeRunner r) {
        ObjectNode n = summary(r);
        ArrayNode tags = n.putArray("tag_list");
        r.tags.forEach(tags::add);
        n.put("run_untagged", r.runUntagged);
        n.put("locked", r.locked);
        if (r.maximumTimeout == null) {
            n.putNull("maximum_timeout");
        } else {
            n.put("maximum_timeout", r.maximumTimeout);
        }
        n.put("access_level", r.accessLevel);
        n.putNull("version");
        n.putNull("revision");
        n.putNull("platform");
        n.putNull("architecture");
        if (r.contactedAt == null) {
            n.putNull("contacted_at");
        } else {
            n.put("contacted_at", time(r.contactedAt));
        }
        if (r.maintenanceNote != null) {
            n.put("maintenance_note", r.maintenanceNote);
        }
        ArrayNode ps = n.putArray("projects");
        for (long pid : r.projectIds) {
            AccessStore.Project p = access.projectById(pid);
            if (p != null) {
                ObjectNode pj = ps.addObject();
                pj.put("id", p.id);
                pj.put("name", p.name());
                pj.put("path", p.name());
                pj.put("path_with_namespace", p.path);
            }
        }
        ArrayNode gs = n.putArray("groups");
        if (r.groupId != null && access.groupPath(r.groupId) != null) {
            ObjectNode g = gs.addObject();
            g.put("id", r.groupId);
            g.put("name", access.groupPath(r.groupId));
            g.put("web_url", url.get() + "/groups/" + access.groupPath(r.groupId));
        }
        return n;
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
