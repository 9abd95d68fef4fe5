/**
 * The whole walkthrough as one spec and one facade: {@link dev.irsa.gitlab.stack.RunnerStack} (a role binding,
 * the GitLab runner whose job pods run under its service account, a pipeline file; readable from YAML;
 * environments) and {@link dev.irsa.gitlab.stack.Irsa} (plan, apply, verify, destroy, and the IAM-only
 * destroy/apply of the walkthrough's "delete the roles in the evening, recreate them in the morning").
 */
package dev.irsa.gitlab.stack;
