package dev.irsa.aws.internal;

import dev.irsa.aws.AwsOperationException;
import dev.irsa.aws.RetryPolicy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsCallsTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Duration> waits = new ArrayList<>();
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final AwsCalls calls = new AwsCalls(clock, d -> {
        waits.add(d);
        now = now.plus(d);
    }, RetryPolicy.DEFAULT);

    private static IamException iam(String code, int status, String message) {
        return (IamException) IamException.builder().message(message).statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private static <T extends IamException.Builder> IamException typed(T builder, String code, int status, String message) {
        builder.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build());
        return (IamException) builder.build();
    }

    @Test
    void throttlingBacksOffExponentially() {
        AtomicInteger n = new AtomicInteger();
        String r = calls.call("role r", "GetRole", () -> {
            if (n.incrementAndGet() < 4) {
                throw iam("Throttling", 400, "Rate exceeded");
            }
            return "ok";
        });
        assertThat(r).isEqualTo("ok");
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void clientErrorsAreRetriedThenReported() {
        assertThatThrownBy(() -> calls.call("role r", "GetRole", () -> {
            throw SdkClientException.create("connection reset");
        })).isInstanceOfSatisfying(AwsOperationException.class, e -> {
            assertThat(e.errorCode()).isNull();
            assertThat(e.getMessage()).isEqualTo("GetRole on role r failed: no usable answer from AWS: connection reset (gave up after 5 attempts)");
        });
        assertThat(waits).hasSize(4);
    }

    @Test
    void eventualConsistencyIsRetriedOnlyAfterACreateAndOnlyUntilTheBound() {
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("role r", "PutRolePolicy", false, () -> {
            n.incrementAndGet();
            throw typed(NoSuchEntityException.builder(), "NoSuchEntity", 404, "The role with name r cannot be found.");
        })).isInstanceOf(AwsOperationException.class);
        assertThat(n).hasValue(1);

        assertThatThrownBy(() -> calls.call("role r", "CreateRole", true, () -> {
            throw typed(MalformedPolicyDocumentException.builder(), "MalformedPolicyDocument", 400, "Invalid principal in policy: \"Federated\":\"x\"");
        })).isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.getMessage()).contains("waiting for IAM to propagate"));
        Duration total = waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isGreaterThanOrEqualTo(Duration.ofMinutes(2)).isLessThan(Duration.ofMinutes(2).plusSeconds(11));
    }

    @Test
    void otherMalformedDocumentsAreNotRetried() {
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("role r", "CreateRole", true, () -> {
            n.incrementAndGet();
            throw typed(MalformedPolicyDocumentException.builder(), "MalformedPolicyDocument", 400, "Syntax errors in policy.");
        })).isInstanceOfSatisfying(AwsOperationException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("CreateRole on role r failed: MalformedPolicyDocument (HTTP 400): Syntax errors in policy.");
            assertThat(e.getCause()).isInstanceOf(MalformedPolicyDocumentException.class);
        });
        assertThat(n).hasValue(1);
    }

    @Test
    void quotasAndPermissionsAreNeverRetried() {
        for (String code : List.of("LimitExceeded", "AccessDenied", "AccessDeniedException")) {
            AtomicInteger n = new AtomicInteger();
            assertThatThrownBy(() -> calls.call("role r", "CreateRole", true, () -> {
                n.incrementAndGet();
                throw iam(code, code.startsWith("Access") ? 403 : 409, "no");
            })).isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
            assertThat(n).hasValue(1);
        }
        assertThat(waits).isEmpty();
    }

    @Test
    void backoffIsCapped() {
        assertThat(RetryPolicy.DEFAULT.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryPolicy.DEFAULT.backoff(30)).isEqualTo(Duration.ofSeconds(10));
    }
}
