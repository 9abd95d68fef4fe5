package dev.irsa.gitlab.runner;

import dev.irsa.ValidationException;

import java.util.regex.Pattern;

/** CPU and memory requests of one job-pod container (build, service or helper), as Kubernetes quantities. */
public record ResourceRequests(String cpu, String memory) {
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(\\.\\d+)?|\\.\\d+)([numkMGTPE]|[KMGTPE]i|e\\d+)?");

    public ResourceRequests {
        check("cpu", cpu);
        check("memory", memory);
    }

    public static ResourceRequests of(String cpu, String memory) {
        return new ResourceRequests(cpu, memory);
    }

    private static void check(String field, String value) {
        if (value != null && !QUANTITY.matcher(value).matches()) {
            throw new ValidationException(field, value, "a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G");
        }
    }
}
