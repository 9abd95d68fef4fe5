/**
 * The plan engine: observe live state, diff it against the desired state, order the changes by their
 * dependencies, apply them (in parallel within limits) and destroy what irsa owns. Backends (AWS,
 * Kubernetes, GitLab, Helm) plug in {@link dev.irsa.plan.Resource}s; the engine knows nothing about them.
 *
 * <pre>{@code
 * ExecutionBudget budget = ExecutionBudget.create(b -> b
 *         .maxConcurrency(4)
 *         .rateLimit("iam", RateLimit.perSecond(5)));
 * Planner planner = Planner.create(p -> p.budget(budget));
 * Applier applier = Applier.create(a -> a.budget(budget).listener(new ProgressPrinter(System.out)));
 *
 * Plan plan = planner.plan("ci", resources);        // reads only
 * System.out.print(plan.render());                   // like `terraform plan`
 * ApplyResult result = applier.apply(plan).orThrow();
 * System.out.println(result.summary());              // "3 created, 0 updated, 0 deleted, 0 unchanged"
 *
 * planner.plan("ci", resources).hasChanges();        // false: applying again would call nothing
 *
 * applier.apply(planner.destroyPlan("ci", resources)).orThrow();   // dependents first, owned objects only
 * }</pre>
 *
 * <p>Data flows between resources through typed {@link dev.irsa.plan.OutputKey outputs}: a role publishes
 * its ARN, the service account that needs it declares the role as a dependency and reads it through
 * {@link dev.irsa.plan.Inputs}. Until the role exists the value is {@code (known after apply)}.
 *
 * <p>Everything that waits (rate limits, retries) and every timestamp goes through the
 * {@link dev.irsa.plan.ExecutionBudget}'s injected {@link java.time.Clock} and {@link dev.irsa.Sleeper}.
 * A rate limit holds per resource operation, or per request (each attempt) for a service whose clients
 * are {@linkplain dev.irsa.plan.ExecutionBudget#meterRequests(String) metered}, as
 * {@code AwsClients.builder().budget(budget)} does for IAM, STS and EKS.
 */
package dev.irsa.plan;
