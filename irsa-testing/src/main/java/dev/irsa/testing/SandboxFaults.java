package dev.irsa.testing;

import java.time.Duration;

/**
 * One line per fault, for every service of an {@link IrsaSandbox}. Faults stay until they are used up,
 * {@link #clear()} or {@link IrsaSandbox#reset()}.
 *
 * <pre>{@code
 * sandbox.faults().throttle(Service.IAM, 0.3, 42);              // ~30% of IAM calls throttled, reproducibly
 * sandbox.faults().failAtCall(Service.IAM, 3);                  // the 3rd IAM call from now answers 500
 * sandbox.faults().iamPropagationDelay(Duration.ofSeconds(20)); // new roles/providers unusable for 20 s (sandbox clock)
 * sandbox.faults().latency(Service.STS, Duration.ofSeconds(2)); // every STS call advances the clock 2 s
 * sandbox.faults().gitlab().respond(429, 2);                    // the next two GitLab calls answer 429
 * sandbox.faults().webhook().missNextPods(1);                   // the next pod gets no AWS credentials
 * sandbox.faults().helm().failNext("upgrade", 1, "timed out");  // the next helm upgrade fails
 * }</pre>
 */
public interface SandboxFaults {

    /**
     * From now on each call of {@code service} is throttled with {@code probability} (0..1), decided by a
     * {@link java.util.Random} seeded with {@code seed}: the same seed throttles the same calls. AWS
     * answers its throttling error (400 {@code Throttling}; EKS 429 {@code ThrottlingException}),
     * Kubernetes and GitLab 429 with {@code Retry-After}. Not for {@link Service#HELM}.
     */
    SandboxFaults throttle(Service service, double probability, long seed);

    /** The {@code k}-th call of {@code service} from now (1 = the next) fails (AWS/Kubernetes/GitLab 500, Helm error) and is not applied. */
    SandboxFaults failAtCall(Service service, int k);

    /** The next {@code times} calls of an AWS {@code operation} ({@code "*"} = any) fail with the service's 500. */
    SandboxFaults serverError(Service service, String operation, int times);

    /** New roles, trust updates and OIDC providers can't be used for this long (measured on {@link IrsaSandbox#clock()}). */
    SandboxFaults iamPropagationDelay(Duration delay);

    /** Every call of an AWS service advances the sandbox clock by {@code latency} (nothing really waits). */
    SandboxFaults latency(Service service, Duration latency);

    /** GitLab-specific faults. */
    GitLabFaults gitlab();

    /** Pod identity webhook faults. */
    WebhookFaults webhook();

    /** Helm faults. */
    HelmFaults helm();

    /** Removes every fault of every service (including the IAM propagation delay). */
    void clear();

    /** Faults of the fake GitLab. */
    interface GitLabFaults {
        /** The next {@code times} API calls answer {@code status} (429 with {@code Retry-After: 1}). */
        GitLabFaults respond(int status, int times);

        /** The next {@code times} calls of {@code method} to a path (after {@code /api/v4}) matching {@code pathRegex} answer {@code status}. */
        GitLabFaults respond(String method, String pathRegex, int status, int times);
    }

    /** Faults of the simulated pod identity webhook. */
    interface WebhookFaults {
        /** The next {@code n} pods that should get credentials are created without them (webhook outage, failurePolicy Ignore). */
        WebhookFaults missNextPods(int n);
    }

    /** Faults of the fake Helm. */
    interface HelmFaults {
        /** The next {@code times} calls of {@code operation} (install, upgrade, uninstall, status, template; null = any) fail with {@code message}. */
        HelmFaults failNext(String operation, int times, String message);
    }
}
