package dev.irsa.gitlab.helm;

import java.util.Objects;

/** A release as Helm reports it ({@code status} is Helm's: deployed, failed, pending-install, ...). */
public record HelmRelease(String name, String namespace, String status, int revision, String chart, String appVersion) {
    public HelmRelease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(status, "status");
    }

    public boolean deployed() {
        return "deployed".equalsIgnoreCase(status);
    }
}
