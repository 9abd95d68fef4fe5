package dev.irsa.kubernetes;

import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The executor's TokenRequest call; the simulated cluster in irsa-testing answers it with a real signed JWT. */
class ServiceAccountTokenTest {
    private static final String TOKEN_PATH = "/api/v1/namespaces/gitlab-runner/serviceaccounts/ci-jobs/token";
    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = k8s.executor();

    @AfterEach
    void close() {
        k8s.close();
    }

    @Test
    void postsATokenRequestForStsAndHoldsTheAnswerAsASecret() {
        k8s.server.expect().post().withPath(TOKEN_PATH).andReturn(201, new TokenRequestBuilder()
                .withNewSpec().withAudiences("sts.amazonaws.com").withExpirationSeconds(3600L).endSpec()
                .withNewStatus().withToken("eyJhbGciOiJSUzI1NiJ9.payload.signature").withExpirationTimestamp("2026-11-25T11:00:00Z").endStatus()
                .build()).once();

        ServiceAccountToken token = executor.requestToken("gitlab-runner", "ci-jobs", Duration.ofHours(1));

        assertThat(token.token().reveal()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.payload.signature");
        assertThat(token.audiences()).containsExactly("sts.amazonaws.com");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(token.toString()).doesNotContain("eyJ");
        var sent = k8s.takeRecorded().stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(TOKEN_PATH);
            assertThat(r.body()).contains("\"audiences\":[\"sts.amazonaws.com\"]").contains("\"expirationSeconds\":3600");
        });
    }

    @Test
    void aMissingServiceAccountIsATypedError() {
        k8s.server.expect().post().withPath(TOKEN_PATH).andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound").build()).once();
        assertThatThrownBy(() -> executor.requestToken("gitlab-runner", "ci-jobs", Duration.ofHours(1)))
                .isInstanceOf(IrsaException.class).hasMessageContaining("does not exist").hasNoCause();
    }

    @Test
    void badInputFailsBeforeAnyRequest() {
        int before = k8s.server.getRequestCount();
        assertThatThrownBy(() -> executor.requestToken("gitlab-runner", "ci-jobs", Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("token.lifetime"));
        assertThatThrownBy(() -> executor.requestToken("gitlab-runner", "ci-jobs", "", Duration.ofHours(1)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("token.audience"));
        assertThatThrownBy(() -> executor.requestToken("gitlab_runner", "ci-jobs", Duration.ofHours(1)))
                .isInstanceOf(ValidationException.class);
        assertThat(k8s.server.getRequestCount()).isEqualTo(before);
    }
}
