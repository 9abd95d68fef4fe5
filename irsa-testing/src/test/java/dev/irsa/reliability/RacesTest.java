package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Races, at plan granularity and deterministic: two runs plan against the same world before either applies
 * (the worst case of two concurrent {@code irsa apply}s, or of apply racing destroy), then both apply in turn.
 * Whatever each run reports, the world must then be consistent: no duplicate roles, providers, runners,
 * Secrets or releases, and one more apply converges to exactly a clean apply's world, after which a destroy
 * leaves nothing behind (nothing orphaned).
 */
class RacesTest {

    @Test
    void twoAppliesPlannedTogether() {
        race("apply || apply", sb -> {
            RunnerStack stack = sb.stack();
            Plan first = sb.plan(stack);
            Plan second = sb.plan(stack);
            return List.of(run(sb, first), run(sb, second));
        });
    }

    @Test
    void applyRacingDestroyOfAnEmptyWorld() {
        race("apply || destroy (planned on an empty world)", sb -> {
            RunnerStack stack = sb.stack();
            Plan apply = sb.plan(stack);
            Plan destroy = sb.irsa.destroyPlan(stack);
            return List.of(run(sb, apply), run(sb, destroy));
        });
    }

    @Test
    void destroyRacingAReapply() {
        race("destroy || re-apply (planned on an applied world)", sb -> {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            Plan destroy = sb.irsa.destroyPlan(stack);
            Plan reapply = sb.plan(stack);
            return List.of(run(sb, destroy), run(sb, reapply));
        });
    }

    @Test
    void reapplyRacingADestroy() {
        race("re-apply || destroy, destroy first", sb -> {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            Plan reapply = sb.plan(stack);
            Plan destroy = sb.irsa.destroyPlan(stack);
            String d = run(sb, destroy);
            return List.of(d, run(sb, reapply));
        });
    }

    private static String run(Sandbox sb, Plan plan) {
        try {
            ApplyResult r = Applier.create(a -> a.budget(sb.budget)).apply(plan);
            return r.summary() + r.firstFailure().map(e -> " (" + e.getMessage().lines().findFirst().orElse("") + ")").orElse("");
        } catch (RuntimeException e) {
            return "refused: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    private static void race(String name, java.util.function.Function<Sandbox, List<String>> scenario) {
        Map<String, String> expected;
        Map<String, String> empty;
        try (Sandbox clean = new Sandbox(true)) {
            empty = clean.snapshot();
            clean.apply(clean.stack()).orThrow();
            expected = clean.snapshot();
        }
        try (Sandbox sb = new Sandbox(true)) {
            List<String> outcomes = scenario.apply(sb);
            Map<String, String> afterRace = sb.snapshot();
            List<String> problems = new ArrayList<>();
            afterRace.forEach((k, v) -> {
                if (v.contains("DUPLICATE")) {
                    problems.add("duplicate " + k);
                }
            });
            long runners = afterRace.keySet().stream().filter(k -> k.startsWith("gitlab.runner/")).count();
            long registered = sb.gitlab.runners().size();
            if (registered > 1) {
                problems.add(registered + " runners registered in GitLab");
            }
            ApplyResult converge = sb.apply(sb.stack());
            Map<String, String> converged = sb.snapshot();
            if (!converge.succeeded()) {
                problems.add("final apply failed: " + converge.summary());
            } else if (!converged.equals(expected)) {
                problems.add("final apply differs from a clean apply: " + diff(converged, expected));
            }
            ApplyResult destroyed = sb.destroy(sb.stack());
            if (!destroyed.succeeded() || !sb.snapshot().equals(empty)) {
                problems.add("destroy after the race left " + diff(sb.snapshot(), empty));
            }
            System.out.printf("[reliability] race %s: runs -> %s; after the race %d runner(s); %s%n", name, outcomes, runners,
                    problems.isEmpty() ? "consistent, converged, nothing orphaned" : "PROBLEMS " + problems);
            assertThat(problems).as(name).isEmpty();
        }
    }

    private static String diff(Map<String, String> actual, Map<String, String> expected) {
        Map<String, String> d = new java.util.TreeMap<>();
        actual.forEach((k, v) -> {
            if (!v.equals(expected.get(k))) {
                d.put(k, v.length() > 120 ? v.substring(0, 120) + "..." : v);
            }
        });
        expected.keySet().stream().filter(k -> !actual.containsKey(k)).forEach(k -> d.put(k, "missing"));
        return d.toString();
    }
}
