package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
