/**
 * Helm values for the gitlab-runner chart 0.86.0 ({@link dev.irsa.gitlab.runner.RunnerValues}), with job
 * pods configured through the TOML {@code runners.config}; least-privilege RBAC
 * ({@link dev.irsa.gitlab.runner.RbacRule#LEAST_PRIVILEGE}); lint ({@link dev.irsa.gitlab.runner.RunnerValuesLint},
 * ids in LINT-RULES.md); migration of pre-0.53 values ({@link dev.irsa.gitlab.runner.LegacyValuesMigration}).
 * Pure: nothing here does I/O.
 */
package dev.irsa.gitlab.runner;
