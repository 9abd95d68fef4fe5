/**
 * GitLab executor over GitLab4J ({@link dev.irsa.gitlab.api.GitLabExecutor}): runner creation with
 * {@code POST /user/runners}, lookup by marker, token verification, removal, pipeline file, pipelines and
 * jobs; errors as {@link dev.irsa.gitlab.api.GitLabException} subtypes; GitLab-specific validation
 * ({@link dev.irsa.gitlab.api.GitLabValidators}).
 */
package dev.irsa.gitlab.api;
