package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.EndpointSetupException;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** issue 14: the GitLab part of the real endpoints says which variable holds no token, before anything is opened. */
class StackEndpointsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingOrBlankTokenNamesTheVariable() {
        assertThatThrownBy(() -> StackEndpoints.builder().environment(Map.<String, String>of()::get)
                .gitlabUrl("https://gitlab.example.com").open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e -> {
                    assertThat(e.field()).isEqualTo("gitlab.token");
                    assertThat(e.lookedAt()).containsExactly("environment variable IRSA_GITLAB_TOKEN (unset)");
                });
        assertThatThrownBy(() -> StackEndpoints.builder().environment(Map.of("CI_TOKEN", "  ")::get).gitlabTokenVariable("CI_TOKEN")
                .gitlabUrl("https://gitlab.example.com").open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e ->
                        assertThat(e.lookedAt()).containsExactly("environment variable CI_TOKEN (blank)"));
    }

    @Test
    void withATokenTheNextMissingPieceIsReportedAndTheTokenNever() {
        Path missing = dir.resolve("kubeconfig");
        assertThatThrownBy(() -> StackEndpoints.builder().environment(Map.of("IRSA_GITLAB_TOKEN", "glpat-secret-value")::get)
                .gitlabUrl("https://gitlab.example.com").endpoints(e -> e.kubeconfig(missing).region("eu-west-1")).open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e -> {
                    assertThat(e.field()).isEqualTo("kubernetes.kubeconfig");
                    assertThat(e.getMessage()).contains(missing.toString()).doesNotContain("glpat-secret-value");
                });
        // a plain-http URL off loopback is refused before any client exists, and the token is not in the error
        assertThatThrownBy(() -> StackEndpoints.builder().gitlabToken(SecretString.of("glpat-secret-value"))
                .gitlabUrl("http://gitlab.example.com").open())
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("glpat-secret-value");
    }
}
