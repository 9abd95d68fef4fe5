package dev.irsa.aws.internal;

import dev.irsa.Sleeper;
import dev.irsa.aws.AwsOperationException;
import dev.irsa.aws.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs one AWS call with irsa's retry rules and turns every failure into an
 * {@link AwsOperationException}. Waiting goes through the injected {@link Sleeper} and elapsed time is
 * read from the injected {@link Clock}, so tests drive backoff without sleeping.
 */
public final class AwsCalls {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCalls.class);

    /** Never retried: a quota or a permission will not change by waiting. */
    private static final Set<String> NEVER_RETRIED = Set.of(
            "LimitExceeded", "LimitExceededException", "ResourceLimitExceededException",
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException");
    private static final Set<String> THROTTLING = Set.of(
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "PriorRequestNotComplete");

    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryPolicy policy;

    public AwsCalls(Clock clock, Sleeper sleeper, RetryPolicy policy) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** Runs {@code call}; retries throttling, 5xx and connection failures only. */
    public <T> T call(String resource, String operation, Supplier<T> call) {
        return call(resource, operation, false, call);
    }

    /**
     * Runs {@code call}; when {@code afterCreate} also retries IAM's eventual-consistency errors
     * ({@code NoSuchEntity}, {@code MalformedPolicyDocument ... Invalid principal}) until the
     * policy's consistency bound.
     */
    public <T> T call(String resource, String operation, boolean afterCreate, Supplier<T> call) {
        Instant start = clock.instant();
        int transientRetries = 0;
        int consistencyRetries = 0;
        while (true) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                String why = reason(e);
                if (code != null && NEVER_RETRIED.contains(code)) {
                    throw new AwsOperationException(resource, operation, code, e.statusCode(), why + nextStep(e, code, operation), e);
                }
                if (isTransient(e, code)) {
                    if (++transientRetries < policy.transientAttempts()) {
                        wait(resource, operation, code, policy.backoff(transientRetries));
                        continue;
                    }
                    throw new AwsOperationException(resource, operation, code, e.statusCode(),
                            why + " (gave up after " + transientRetries + " attempts)", e);
                }
                if (afterCreate && isEventualConsistency(code, why)) {
                    Duration elapsed = Duration.between(start, clock.instant());
                    if (elapsed.compareTo(policy.consistencyBound()) < 0) {
                        wait(resource, operation, code, policy.backoff(++consistencyRetries));
                        continue;
                    }
                    throw new AwsOperationException(resource, operation, code, e.statusCode(),
                            why + " (still failing after " + elapsed.toSeconds() + " s of waiting for IAM to propagate a new resource)", e);
                }
                throw new AwsOperationException(resource, operation, code, e.statusCode(), why, e);
            } catch (SdkClientException e) {
                // No answer from AWS (timeout, connection reset): the call may or may not have been applied,
                // so callers make creates idempotent (EntityAlreadyExists -> observe again).
                if (++transientRetries < policy.transientAttempts()) {
                    wait(resource, operation, "client error", policy.backoff(transientRetries));
                    continue;
                }
                throw new AwsOperationException(resource, operation, null, 0,
                        "no usable answer from AWS: " + e.getMessage() + " (gave up after " + transientRetries + " attempts)", e);
            } catch (SdkException e) {
                throw new AwsOperationException(resource, operation, null, 0, String.valueOf(e.getMessage()), e);
            }
        }
    }

    private void wait(String resource, String operation, String code, Duration backoff) {
        LOG.debug("{} on {} got {}; retrying in {} ms", operation, resource, code, backoff.toMillis());
        sleeper.sleep(backoff);
    }

    static boolean isTransient(AwsServiceException e, String code) {
        return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
                || (code != null && (THROTTLING.contains(code) || "ServiceFailure".equals(code)
                || "ServiceUnavailable".equals(code) || "ServiceUnavailableException".equals(code)
                || "ServerException".equals(code) || "InternalFailure".equals(code)));
    }

    static boolean isEventualConsistency(String code, String why) {
        return "NoSuchEntity".equals(code)
                || ("MalformedPolicyDocument".equals(code) && why != null && why.toLowerCase().contains("invalid principal"));
    }

    /**
     * What to do about an error no retry fixes: a missing permission names the action to grant (AWS's own message
     * names the caller), bad or expired credentials say how to renew them.
     */
    static String nextStep(AwsServiceException e, String code, String operation) {
        String service = e.awsErrorDetails() == null || e.awsErrorDetails().serviceName() == null ? "the service"
                : e.awsErrorDetails().serviceName().toLowerCase(java.util.Locale.ROOT);
        return switch (code) {
            case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation" -> "; next: grant " + service + ":" + operation
                    + " to the caller (irsa preflight lists every action irsa calls and which are denied)";
            case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException" ->
                    "; next: renew the AWS credentials (aws sso login --profile <profile>, or new keys; check AWS_PROFILE), "
                            + "then aws sts get-caller-identity must answer";
            default -> "";
        };
    }

    private static String reason(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
            return e.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
