package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the snippet of {@code package-info.java} as written, on toy resources. */
class PackageExampleTest {

    @Test
    void packageSnippetRunsAsDocumented() {
        ToyCloud cloud = new ToyCloud();
        ToyResource provider = ToyResource.of(cloud, "provider").field("url", "https://issuer.example");
        ToyResource role = ToyResource.of(cloud, "role").arnOf("trustedBy", provider);
        ToyResource account = ToyResource.of(cloud, "account").arnOf("roleArn", role);
        List<Resource> resources = List.of(provider, role, account);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        boolean hasChangesAfterApply;
        try {
            // --- snippet of package-info.java, verbatim ---
            ExecutionBudget budget = ExecutionBudget.create(b -> b
                    .maxConcurrency(4)
                    .rateLimit("iam", RateLimit.perSecond(5)));
            Planner planner = Planner.create(p -> p.budget(budget));
            Applier applier = Applier.create(a -> a.budget(budget).listener(new ProgressPrinter(System.out)));

            Plan plan = planner.plan("ci", resources);        // reads only
            System.out.print(plan.render());                   // like `terraform plan`
            ApplyResult result = applier.apply(plan).orThrow();
            System.out.println(result.summary());              // "3 created, 0 updated, 0 deleted, 0 unchanged"

            hasChangesAfterApply = planner.plan("ci", resources).hasChanges();        // false

            applier.apply(planner.destroyPlan("ci", resources)).orThrow();   // dependents first, owned objects only
            // --- end of snippet ---
        } finally {
            System.setOut(original);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("Plan: 3 to add, 0 to change, 0 to destroy.")
                .contains("toy.thing/role: Creation complete after 0s")
                .contains("3 created, 0 updated, 0 deleted, 0 unchanged")
                .contains("toy.thing/provider: Destruction complete after 0s");
        assertThat(hasChangesAfterApply).isFalse();
        assertThat(cloud.contains(provider.key()) || cloud.contains(role.key()) || cloud.contains(account.key()))
                .isFalse();
    }

    /** The toy resource of {@link Resource}'s Javadoc, as written there (plus a constructor). */
    static final class ConfigEntry implements Resource {
        static final OutputKey<String> VERSION = OutputKey.of("version", String.class);
        private final Map<String, String> store;   // the "cloud"
        private final String key;
        private final String value;

        ConfigEntry(Map<String, String> store, String key, String value) {
            this.store = store;
            this.key = key;
            this.value = value;
        }

        public ResourceId id() { return ResourceId.of("toy.entry", key); }
        public String service() { return "toy"; }

        public Observed observe() {
            String live = store.get(key);
            return live == null ? Observed.absent()
                    : Observed.owned(Fields.of(Map.of("value", live)), Outputs.of(VERSION, live));
        }

        public Fields desired(Inputs inputs) {
            return Fields.of(Map.of("value", value));
        }

        public Outputs apply(ApplyContext context) {
            store.put(key, value);                       // create or update, idempotently
            return Outputs.of(VERSION, value);
        }

        public void delete(ApplyContext context) {
            store.remove(key);                           // already gone is fine
        }
    }

    @Test
    void resourceSnippetBehavesAsDocumented() {
        Map<String, String> store = new HashMap<>();
        List<Resource> entries = List.of(new ConfigEntry(store, "a", "1"), new ConfigEntry(store, "b", "2"));
        Planner planner = Planner.create();
        Applier applier = Applier.create();

        assertThat(applier.apply(planner.plan("ci", entries)).summary())
                .isEqualTo("2 created, 0 updated, 0 deleted, 0 unchanged");
        store.put("b", "drifted");
        Plan drift = planner.plan("ci", entries);
        assertThat(drift.render()).contains("~ value = \"drifted\" -> \"2\"");
        assertThat(applier.apply(drift).summary()).isEqualTo("0 created, 1 updated, 0 deleted, 1 unchanged");
        assertThat(applier.apply(planner.destroyPlan("ci", entries)).summary())
                .isEqualTo("0 created, 0 updated, 2 deleted, 0 unchanged");
        assertThat(store).isEmpty();
    }
}
