package dev.irsa.aws;

import java.util.Objects;

/**
 * One changing AWS call an executor made, e.g. {@code UpdateAssumeRolePolicy on role ci-deployer:
 * trust policy drifted}. An ensure that finds everything as desired returns no changes.
 */
public record AwsChange(String resource, String operation, String detail) {
    public AwsChange {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return operation + " on " + resource + ": " + detail;
    }
}
