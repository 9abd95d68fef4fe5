/**
 * The whole walkthrough as one spec and one facade: {@link dev.irsa.gitlab.stack.RunnerStack} (a role binding,
 * the GitLab runner whose job pods run under its service account, a pipeline file; readable from YAML;
 * environments), {@link dev.irsa.gitlab.stack.StackSpec} (a spec file with a runner stack, or role bindings
 * without a runner) and {@link dev.irsa.gitlab.stack.RunnerStacks} (plan, apply, verify, destroy one stack or many
 * as one plan; the IAM-only destroy/apply of the walkthrough's "delete the roles in the evening, recreate them in
 * the morning"), built on irsa-core's {@link dev.irsa.Irsa}, which holds the stack lock and the re-plan.
 */
package dev.irsa.gitlab.stack;
