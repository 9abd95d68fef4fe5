package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.testing.gitlab.FakeGitLab.FakeRunner;
import dev.irsa.testing.gitlab.FakeGitLab.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The runner endpoints, as GitLab answers them ({@code lib/api/user_runners.rb}, {@code lib/api/ci/runners.rb},
 * {@code lib/api/ci/runner.rb}; the rules of {@code app/models/ci/runner.rb} and
 * {@code app/services/ci/runners/create_runner_service.rb}). Used under the fake's lock.
 */
final class RunnerApi {
    /** {@code at_least_one_of} of {@code PUT /runners/:id} (lib/api/ci/runners.rb), in GitLab's order. */
    static final List<String> UPDATABLE = List.of("description", "active", "paused", "tag_list", "run_untagged", "locked",
            "access_level", "maximum_timeout", "maintenance_note");
    private static final Set<String> TYPES = Set.of("instance_type", "group_type", "project_type");
    private static final Set<String> ACCESS_LEVELS = Set.of("not_protected", "ref_protected");
    private static final Set<String> STATUSES = Set.of("active", "paused", "online", "offline", "never_contacted", "stale");

    private final Map<Long, FakeRunner> runners = new LinkedHashMap<>();
    private final AccessStore access;
    private final RunnerJson json;
    private final Clock clock;
    private final AtomicLong ids;
    private final Supplier<String> newToken;

    RunnerApi(AccessStore access, RunnerJson json, Clock clock, AtomicLong ids, Supplier<String> newToken) {
        this.access = access;
        this.json = json;
        this.clock = clock;
        this.ids = ids;
        this.newToken = newToken;
    }

    void register(ApiRouter router) {
        router.route("POST", "/user/runners", this::create);
        router.runnerRoute("POST", "/runners/verify", this::verify);
        router.route("GET", "/runners", r -> list(r, runners.values().stream().filter(x -> owns(r.token(), x)).toList()));
        router.route("GET", "/runners/all", r -> {
            if (!r.token().admin()) {
                throw ApiError.forbidden(); // authenticated_as_admin!
            }
            return list(r, List.copyOf(runners.values()));
        });
        router.route("GET", "/runners/:id", r -> ApiResponse.ok(json.detail(readable(r))));
        router.route("PUT", "/runners/:id", this::update);
        router.route("DELETE", "/runners/:id", this::delete);
        router.route("GET", "/projects/:id/runners", r -> {
            // authorize! :read_project_runners (Maintainer); owned_or_instance_wide: its runners and the shared ones
            AccessStore.Project p = access.project(r.token(), r.pathParam("id"), Role.MAINTAINER);
            return list(r, runners.values().stream().filter(x -> x.projectIds.contains(p.id) || x.runnerType.equals("instance_type")).toList());
        });
    }

    Map<Long, FakeRunner> runners() {
        return runners;
    }

    FakeRunner existing(long id) {
        FakeRunner r = runners.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no runner " + id);
        }
        return r;
    }

    private ApiResponse create(ApiRequest r) {
        String type = r.param("runner_type");
        if (type == null) {
            throw ApiError.badRequest("runner_type is missing");
        }
        if (!TYPES.contains(type)) {
            throw ApiError.badRequest("runner_type does not have a valid value");
        }
        Long projectId = type.equals("project_type") ? required(r, "project_id") : null;
        Long groupId = type.equals("group_type") ? required(r, "group_id") : null;
        String accessLevel = Optional.ofNullable(accessLevel(r)).orElse("not_protected");
        Long maximumTimeout = r.integerParam("maximum_timeout");
        Boolean paused = r.booleanParam("paused");
        Boolean locked = r.booleanParam("locked");
        Boolean runUntagged = r.booleanParam("run_untagged");
        // CreateRunnerService: the strategy's validate_params, then authorized_user? (:create_runners), then the model
        Set<Long> projectIds = new LinkedHashSet<>();
        switch (type) {
            case "project_type" -> {
                AccessStore.Project p = access.projectById(projectId);
                if (p == null) {
                    throw ApiError.badRequestReason("Missing/invalid project");
                }
                requireAllowed(r.token().atLeast(p.id, Role.MAINTAINER));
                projectIds.add(p.id);
            }
            case "group_type" -> {
                if (access.groupPath(groupId) == null) {
                    throw ApiError.badRequestReason("Missing/invalid group");
                }
                requireAllowed(r.token().atLeast(groupId, Role.OWNER));
            }
            default -> requireAllowed(r.token().admin());
        }
        FakeRunner runner = new FakeRunner(ids.incrementAndGet(), newToken.get(), type, projectIds, groupId, clock.instant());
        runner.description = Optional.ofNullable(r.param("description")).orElse("");
        runner.tags = List.copyOf(r.listParam("tag_list"));
        runner.runUntagged = runUntagged == null || runUntagged; // "defaults to true"
        runner.locked = locked != null && locked;                 // "defaults to false"
        runner.paused = paused != null && paused;                 // "defaults to false"
        runner.accessLevel = accessLevel;
        runner.maximumTimeout = maximumTimeout == null ? null : maximumTimeout.intValue();
        runner.maintenanceNote = r.param("maintenance_note");
        Map<String, List<String>> errors = modelErrors(runner);
        if (!errors.isEmpty()) {
            // user_runners.rb: bad_request!(result.errors.to_sentence) of the model's full messages
            throw ApiError.badRequestReason(toSentence(fullMessages(errors)));
        }
        runners.put(runner.id, runner);
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("id", runner.id);
        n.put("token", runner.token);
        n.putNull("token_expires_at");
        return ApiResponse.created(n);
    }

    private static Long required(ApiRequest r, String name) {
        Long v = r.integerParam(name);
        if (v == null) {
            throw ApiError.badRequest(name + " is missing");
        }
        return v;
    }

    private static void requireAllowed(boolean allowed) {
        if (!allowed) {
            throw ApiError.forbidden("Insufficient permissions");
        }
    }

    private static String accessLevel(ApiRequest r) {
        String level = r.param("access_level");
        if (level != null && !ACCESS_LEVELS.contains(level)) {
            throw ApiError.badRequest("access_level does not have a valid value");
        }
        return level;
    }

    private ApiResponse update(ApiRequest r) {
        long id = runnerId(r);
        if (UPDATABLE.stream().noneMatch(r::has)) {
            throw ApiError.badRequest(String.join(", ", UPDATABLE) + " are missing, at least one parameter must be provided");
        }
        if (r.has("active") && r.has("paused")) {
            throw ApiError.badRequest("active, paused are mutually exclusive");
        }
        String level = accessLevel(r);
        Long maximumTimeout = r.integerParam("maximum_timeout");
        Boolean runUntagged = r.booleanParam("run_untagged");
        Boolean locked = r.booleanParam("locked");
        Boolean active = r.booleanParam("active");
        Boolean paused = r.booleanParam("paused");
        FakeRunner runner = found(id);
        requireAccess(canUpdate(r.token(), runner));
        FakeRunner changed = runner.copy();
        Optional.ofNullable(r.param("description")).ifPresent(d -> changed.description = d);
        if (r.has("tag_list")) {
            changed.tags = List.copyOf(r.listParam("tag_list"));
        }
        Optional.ofNullable(runUntagged).ifPresent(v -> changed.runUntagged = v);
        Optional.ofNullable(locked).ifPresent(v -> changed.locked = v);
        Optional.ofNullable(active).ifPresent(v -> changed.paused = !v);
        Optional.ofNullable(paused).ifPresent(v -> changed.paused = v);
        Optional.ofNullable(level).ifPresent(v -> changed.accessLevel = v);
        Optional.ofNullable(maximumTimeout).ifPresent(v -> changed.maximumTimeout = v.intValue());
        Optional.ofNullable(r.param("maintenance_note")).ifPresent(v -> changed.maintenanceNote = v);
        Map<String, List<String>> errors = modelErrors(changed);
        if (!errors.isEmpty()) {
            throw ApiError.validation(errors); // render_validation_error!(runner)
        }
        runners.put(id, changed);
        return ApiResponse.ok(json.detail(changed));
    }

    private ApiResponse delete(ApiRequest r) {
        FakeRunner runner = found(runnerId(r));
        if (!r.token().admin() && runner.projectIds.size() > 1) {
            throw ApiError.forbidden("Runner associated with more than one project");
        }
        requireAccess(canUpdate(r.token(), runner));
        runners.remove(runner.id);
        return ApiResponse.noContent();
    }

    /** {@code POST /runners/verify}: {@code authenticate_runner!} records the contact ({@code heartbeat}: contacted_at = now). */
    private ApiResponse verify(ApiRequest r) {
        String token = r.param("token");
        if (token == null) {
            throw ApiError.badRequest("token is missing");
        }
        for (FakeRunner runner : runners.values()) {
            if (MessageDigest.isEqual(runner.token.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                runner.contactedAt = clock.instant();
                ObjectNode n = ApiError.JSON.createObjectNode();
                n.put("id", runner.id);
                n.put("token", runner.token);
                n.putNull("token_expires_at");
                return ApiResponse.ok(n);
            }
        }
        throw ApiError.forbidden();
    }

    private FakeRunner readable(ApiRequest r) {
        FakeRunner runner = found(runnerId(r));
        // authenticate_show_runner!: instance runners are shown to every signed-in user
        if (!runner.runnerType.equals("instance_type")) {
            requireAccess(canRead(r.token(), runner));
        }
        return runner;
    }

    private static long runnerId(ApiRequest r) {
        String id = r.pathParam("id");
        if (!id.chars().allMatch(Character::isDigit) || id.isEmpty()) {
            throw ApiError.badRequest("id is invalid");
        }
        return Long.parseLong(id);
    }

    private FakeRunner found(long id) {
        FakeRunner r = runners.get(id);
        if (r == null) {
            throw ApiError.notFound("Runner"); // get_runner: not_found!('Runner')
        }
        return r;
    }

    private static void requireAccess(boolean allowed) {
        if (!allowed) {
            throw ApiError.forbidden("No access granted");
        }
    }

    /** read_runner: Maintainer of one of its projects or of its group. */
    private static boolean canRead(AccessStore.AccessToken t, FakeRunner r) {
        return t.admin() || r.projectIds.stream().anyMatch(p -> t.atLeast(p, Role.MAINTAINER))
                || (r.groupId != null && t.atLeast(r.groupId, Role.MAINTAINER));
    }

    /** update_runner / delete_runner: Maintainer of one of its projects, Owner of its group. */
    private static boolean canUpdate(AccessStore.AccessToken t, FakeRunner r) {
        return t.admin() || r.projectIds.stream().anyMatch(p -> t.atLeast(p, Role.MAINTAINER))
                || (r.groupId != null && t.atLeast(r.groupId, Role.OWNER));
    }

    /** ci_owned_runners (GET /runners): the runners of projects and groups the user can update runners of. */
    private static boolean owns(AccessStore.AccessToken t, FakeRunner r) {
        return t.admin() || (!r.runnerType.equals("instance_type") && canUpdate(t, r));
    }

    /**
     * The model's validations (app/models/ci/runner.rb): {@code tag_constraints} and {@code maximum_timeout}
     * numericality. Field names as {@code errors.add} gives them.
     */
    private static Map<String, List<String>> modelErrors(FakeRunner r) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (r.tags.isEmpty() && !r.runUntagged) {
            errors.computeIfAbsent("tags_list", k -> new ArrayList<>()).add("can not be empty when runner is not allowed to pick untagged jobs");
        }
        if (r.tags.size() > FakeGitLab.MAX_TAGS) {
            errors.computeIfAbsent("tags_list", k -> new ArrayList<>())
                    .add("Too many tags specified. Please limit the number of tags to " + FakeGitLab.MAX_TAGS);
        }
        if (r.tags.stream().anyMatch(t -> t.length() > 255)) {
            // Ci::Tag validates name length 255 (app/models/ci/tag.rb); the wording here is not GitLab's, which
            // saves runner tags through insert_all: refused all the same rather than accepted
            errors.computeIfAbsent("tag_list", k -> new ArrayList<>()).add("tag name is too long (maximum is 255 characters)");
        }
        if (r.maximumTimeout != null && r.maximumTimeout < 600) {
            errors.computeIfAbsent("maximum_timeout", k -> new ArrayList<>()).add("needs to be at least 10 minutes");
        }
        return errors;
    }

    /** ActiveModel's full messages: the humanized attribute ({@code tags_list} is "Tags list"), then the message. */
    private static List<String> fullMessages(Map<String, List<String>> errors) {
        List<String> out = new ArrayList<>();
        errors.forEach((field, problems) -> {
            String attribute = Character.toUpperCase(field.charAt(0)) + field.substring(1).replace('_', ' ');
            problems.forEach(p -> out.add(attribute + " " + p));
        });
        return out;
    }

    /** Rails' {@code Array#to_sentence}: "a", "a and b", "a, b, and c". */
    static String toSentence(List<String> parts) {
        if (parts.size() <= 2) {
            return String.join(" and ", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + ", and " + parts.get(parts.size() - 1);
    }

    private ApiResponse list(ApiRequest r, List<FakeRunner> list) {
        String type = r.param("type");
        if (type != null && !TYPES.contains(type)) {
            throw ApiError.badRequest("type does not have a valid value");
        }
        String status = r.param("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiError.badRequest("status does not have a valid value");
        }
        Boolean paused = r.booleanParam("paused");
        List<String> tags = r.listParam("tag_list");
        ArrayNode out = ApiError.JSON.createArrayNode();
        for (FakeRunner runner : list) {
            if ((type == null || type.equals(runner.runnerType)) && (status == null || json.inScope(runner, status))
                    && (paused == null || paused == runner.paused) && runner.tags.containsAll(tags)) {
                out.add(json.summary(runner));
            }
        }
        return ApiResponse.page(r, out);
    }
}
