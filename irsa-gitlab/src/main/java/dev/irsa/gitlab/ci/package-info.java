/** {@code .gitlab-ci.yml} rendering ({@link dev.irsa.gitlab.ci.GitLabCiFile}), including GitLab OIDC jobs. Pure. */
package dev.irsa.gitlab.ci;
