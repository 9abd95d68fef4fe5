package dev.irsa.gitlab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.irsa.gitlab.internal.Yaml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Explains values written for gitlab-runner charts up to 0.52 and turns them into their current
 * equivalent. Chart 0.53 removed the {@code runners.*} pod settings (now only {@code runners.config}
 * TOML configures job pods), and with {@code glrt-} tokens the runner's tags, locking and protection are
 * set when the runner is created in GitLab, not in Helm values.
 *
 * <pre>{@code
 * LegacyValuesMigration.Result r = LegacyValuesMigration.migrate(Files.readString(legacyValues));
 * r.keys().forEach(k -> System.out.println(k));   // runners.serviceAccountName MOVED -> runners.config ...
 * RunnerValues values = r.values().build();
 * r.runnerSettings().tags();                       // [k8s-dev-runner]
 * }</pre>
 */
public final class LegacyValuesMigration {
    private LegacyValuesMigration() {
    }

    /** What became of one legacy key. */
    public enum Disposition {
        /** The current chart reads the key at the same place. */
        KEPT,
        /** The current chart ignores the key here; the same setting lives at {@link KeyMigration#target()}. */
        MOVED,
        /** Neither the current chart nor irsa has a use for it; dropped. */
        IGNORED
    }

    /** One legacy key, what happens to it and where it went. */
    public record KeyMigration(String legacyKey, Disposition disposition, String target, String note) {
        public KeyMigration {
            Objects.requireNonNull(legacyKey);
            Objects.requireNonNull(disposition);
            target = target == null ? "" : target;
            note = note == null ? "" : note;
        }

        @Override
        public String toString() {
            return legacyKey + " " + disposition + (target.isEmpty() ? "" : " -> " + target) + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /**
     * Settings that moved from Helm values to runner creation ({@code POST /user/runners}); {@code null}
     * where the legacy values did not say.
     */
    public record RunnerSettings(List<String> tags, Boolean locked, Boolean protectedOnly, Boolean runUntagged) {
        public RunnerSettings {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** The migration of one values file. */
    public record Result(List<KeyMigration> keys, RunnerValues.Builder values, RunnerSettings runnerSettings) {
        public Result {
            keys = List.copyOf(keys);
        }

        public KeyMigration key(String legacyKey) {
            return keys.stream().filter(k -> k.legacyKey().equals(legacyKey)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no such legacy key: " + legacyKey));
        }
    }

    private static final String TOML = "runners.config [runners.kubernetes] ";
    private static final String CREATE = "runner creation (POST /user/runners) ";

    public static Result migrate(String legacyYaml) {
        JsonNode root = Yaml.read(legacyYaml);
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        flatten("", root, leaves);

        RunnerValues.Builder values = RunnerValues.builder();
        RunnerValues.Jobs.Builder jobs = RunnerValues.Jobs.builder();
        Map<String, String> nodeSelector = new LinkedHashMap<>();
        String[] build = new String[2];
        String[] service = new String[2];
        String[] helper = new String[2];
        List<String> tags = null;
        Boolean locked = null;
        Boolean protectedOnly = null;
        Boolean runUntagged = null;
        List<KeyMigration> out = new ArrayList<>();

        for (Map.Entry<String, JsonNode> e : leaves.entrySet()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "imagePullPolicy" -> { values.imagePullPolicy(v.asText()); out.add(kept(key)); }
                case "gitlabUrl" -> { values.gitlabUrl(v.asText()); out.add(kept(key)); }
                case "unregisterRunners" -> { values.unregisterRunners(v.asBoolean()); out.add(kept(key)); }
                case "terminationGracePeriodSeconds" -> { values.terminationGracePeriodSeconds(v.asInt()); out.add(kept(key)); }
                case "concurrent" -> { values.concurrent(v.asInt()); out.add(kept(key)); }
                case "checkInterval" -> { values.checkIntervalSeconds(v.asInt()); out.add(kept(key)); }
                case "metrics.enabled" -> { values.metricsEnabled(v.asBoolean()); out.add(kept(key)); }
                case "rbac.create" -> {
                    values.rbacCreate(v.asBoolean());
                    out.add(new KeyMigration(key, Disposition.KEPT, "rbac.create",
                            v.asBoolean() ? "irsa adds least-privilege rbac.rules; without rules the chart grants */* in the namespace" : ""));
                }
                case "runnerRegistrationToken" -> out.add(new KeyMigration(key, Disposition.MOVED, "runners.secret",
                        "registration tokens are disabled by default since GitLab 17.0; irsa creates the runner, stores its glrt- "
                                + "token as runner-token in the Secret named by runners.secret"));
                case "runnerToken" -> out.add(new KeyMigration(key, Disposition.MOVED, "runners.secret",
                        "irsa keeps the glrt- token in a Kubernetes Secret instead of Helm values"));
                case "runners.image" -> { jobs.image(v.asText()); out.add(moved(key, TOML + "image")); }
                case "runners.privileged" -> { jobs.privileged(v.asBoolean()); out.add(moved(key, TOML + "privileged")); }
                case "runners.namespace" -> { jobs.namespace(v.asText()); out.add(moved(key, TOML + "namespace")); }
                case "runners.serviceAccountName" -> {
                    jobs.serviceAccount(v.asText());
                    out.add(new KeyMigration(key, Disposition.MOVED, TOML + "service_account",
                            "the job pods' (IRSA) account; serviceAccount.* is the manager's"));
                }
                case "runners.pollTimeout" -> { jobs.pollTimeoutSeconds(v.asInt()); out.add(moved(key, TOML + "poll_timeout")); }
                case "runners.builds.cpuRequests" -> { build[0] = v.asText(); out.add(moved(key, TOML + "cpu_request")); }
                case "runners.builds.memoryRequests" -> { build[1] = v.asText(); out.add(moved(key, TOML + "memory_request")); }
                case "runners.services.cpuRequests" -> { service[0] = v.asText(); out.add(moved(key, TOML + "service_cpu_request")); }
                case "runners.services.memoryRequests" -> { service[1] = v.asText(); out.add(moved(key, TOML + "service_memory_request")); }
                case "runners.helpers.cpuRequests" -> { helper[0] = v.asText(); out.add(moved(key, TOML + "helper_cpu_request")); }
                case "runners.helpers.memoryRequests" -> { helper[1] = v.asText(); out.add(moved(key, TOML + "helper_memory_request")); }
                case "runners.tags" -> {
                    tags = v.isArray() ? textList(v) : Arrays.stream(v.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                    out.add(moved(key, CREATE + "tag_list"));
                }
                case "runners.locked" -> { locked = v.asBoolean(); out.add(moved(key, CREATE + "locked")); }
                case "runners.protected" -> {
                    protectedOnly = v.asBoolean();
                    out.add(new KeyMigration(key, Disposition.MOVED, CREATE + "access_level",
                            "true -> ref_protected, false -> not_protected"));
                }
                case "runners.runUntagged" -> { runUntagged = v.asBoolean(); out.add(moved(key, CREATE + "run_untagged")); }
                default -> {
                    if (key.startsWith("runners.nodeSelector.")) {
                        nodeSelector.put(key.substring("runners.nodeSelector.".length()), v.asText());
                        out.add(moved(key, TOML + "node_selector"));
                    } else {
                        out.add(new KeyMigration(key, Disposition.IGNORED, "",
                                "not read by chart 0.86.0 as irsa emits it, or not a setting irsa migrates; review by hand"));
                    }
                }
            }
        }
        if (build[0] != null || build[1] != null) {
            jobs.buildRequests(ResourceRequests.of(build[0], build[1]));
        }
        if (service[0] != null || service[1] != null) {
            jobs.serviceRequests(ResourceRequests.of(service[0], service[1]));
        }
        if (helper[0] != null || helper[1] != null) {
            jobs.helperRequests(ResourceRequests.of(helper[0], helper[1]));
        }
        jobs.nodeSelector(nodeSelector);
        values.jobsBuilder(jobs);
        return new Result(out, values, new RunnerSettings(tags, locked, protectedOnly, runUntagged));
    }

    private static KeyMigration kept(String key) {
        return new KeyMigration(key, Disposition.KEPT, key, "");
    }

    private static KeyMigration moved(String key, String target) {
        return new KeyMigration(key, Disposition.MOVED, target, "");
    }

    private static List<String> textList(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix, node);
        }
    }
}
