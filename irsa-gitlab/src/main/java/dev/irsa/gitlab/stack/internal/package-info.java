/** Implementation of dev.irsa.gitlab.stack: runner, Secret, Helm release and pipeline resources, YAML, verify. Not API. */
package dev.irsa.gitlab.stack.internal;
