package dev.irsa.validation;

import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatorsTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("role.name", "r".repeat(65), Validators::roleName, "at most 64"),
                bad("role.name", "ci/role", Validators::roleName, "only letters"),
                bad("role.name", "", Validators::roleName, "must not be empty"),
                bad("role.path", "ci", Validators::rolePath, "starts and ends with '/'"),
                bad("role.path", "/ci", Validators::rolePath, "starts and ends with '/'"),
                bad("role.path", "/a//b/", Validators::rolePath, "no '//'"),
                bad("role.path", "/" + "p".repeat(511) + "/", Validators::rolePath, "at most 512"),
                bad("aws.accountId", "11112222333", Validators::accountId, "12 digits"),
                bad("aws.accountId", "11112222333a", Validators::accountId, "12 digits"),
                bad("aws.partition", "aws-mars", Validators::partition, "partition is one of"),
                bad("aws.region", "EU-WEST-1", Validators::region, "eu-west-1"),
                bad("cluster.issuer", "http://oidc.eks.eu-west-1.amazonaws.com/id/X", Validators::issuerUrl, "https"),
                bad("cluster.issuer", "https://oidc.example.com:8443/id/X", Validators::issuerUrl, "port"),
                bad("cluster.issuer", "https://oidc.example.com/id/X?a=b", Validators::issuerUrl, "query"),
                bad("cluster.issuer", "https://u:p@oidc.example.com/id/X", Validators::issuerUrl, "user information"),
                bad("cluster.issuer", "https:///nohost", Validators::issuerUrl, "host"),
                bad("cluster.issuer", "https://x.example.com/" + "a".repeat(250), Validators::issuerUrl, "255"),
                bad("provider.thumbprint", "abc", Validators::thumbprint, "40 hexadecimal"),
                bad("serviceAccount.namespace", "My_NS", Validators::namespace, "DNS-1123 label"),
                bad("serviceAccount.namespace", "n".repeat(64), Validators::namespace, "at most 63"),
                bad("serviceAccount.namespace", "-dev", Validators::namespace, "DNS-1123 label"),
                bad("serviceAccount.name", "s".repeat(254), Validators::serviceAccountName, "at most 253"),
                bad("serviceAccount.name", "App.Deployer", Validators::serviceAccountName, "DNS-1123 subdomain"),
                bad("helm.release", "r".repeat(54), Validators::helmReleaseName, "at most 53"),
                bad("helm.release", "app.dev", Validators::helmReleaseName, "DNS-1123 label"),
                bad("gitlab.project", "/group/project", Validators::gitlabPath, "leading or trailing"),
                bad("gitlab.project", "group/-project", Validators::gitlabPath, "segment"),
                bad("gitlab.project", "group/project.git", Validators::gitlabPath, ".git"),
                bad("cluster.name", "-devops", Validators::eksClusterName, "EKS cluster name"),
                bad("policy", "{\"Sid\":\"d\u00e9j\u00e0 \u2013 vu\"}", Validators::policyCharacters, "U+2013"));
    }

    private static Arguments bad(String field, String value, BiFunction<String, String, String> check, String rule) {
        return Arguments.of(field, value, check, rule);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalid")
    void rejectsWithFieldValueAndRule(String field, String value, BiFunction<String, String, String> check, String rule) {
        assertThatThrownBy(() -> check.apply(field, value))
                .isInstanceOf(ValidationException.class)
                .isInstanceOf(IrsaException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(rule)
                .satisfies(e -> {
                    ValidationException v = (ValidationException) e;
                    assertThat(v.field()).isEqualTo(field);
                    assertThat(v.value()).isEqualTo(value);
                    assertThat(v.rule()).contains(rule);
                });
    }

    @Test
    void acceptsTheWalkthroughsNames() {
        assertThat(Validators.roleName("f", "eks-cluster-role")).isEqualTo("eks-cluster-role");
        assertThat(Validators.rolePath("f", "/")).isEqualTo("/");
        assertThat(Validators.rolePath("f", "/ci/runners/")).isEqualTo("/ci/runners/");
        assertThat(Validators.accountId("f", "111122223333")).isEqualTo("111122223333");
        assertThat(Validators.region("f", "eu-west-1")).isEqualTo("eu-west-1");
        assertThat(Validators.region("f", "us-gov-west-1")).isEqualTo("us-gov-west-1");
        assertThat(Validators.namespace("f", "dev")).isEqualTo("dev");
        assertThat(Validators.serviceAccountName("f", "app-deployer")).isEqualTo("app-deployer");
        assertThat(Validators.helmReleaseName("f", "app-dev-runner")).isEqualTo("app-dev-runner");
        assertThat(Validators.gitlabPath("f", "platform/infra/pipelines")).isEqualTo("platform/infra/pipelines");
        assertThat(Validators.eksClusterName("f", "devops")).isEqualTo("devops");
        assertThat(Validators.policyCharacters("f", "{\"Sid\":\"caf\u00e9\"}")).contains("caf");
    }

    @Test
    void issuerIsStoredWithoutTrailingSlash() {
        assertThat(Validators.issuerUrl("f", "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE/"))
                .isEqualTo("https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE");
    }

    @Test
    void tagsAreLimitedInCountKeyAndValue() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> Validators.awsTags("role.tags", many)).isInstanceOf(ValidationException.class).hasMessageContaining("at most 50");
        assertThatThrownBy(() -> Validators.awsTags("role.tags", Map.of("k".repeat(129), "v"))).hasMessageContaining("1-128");
        assertThatThrownBy(() -> Validators.awsTags("role.tags", Map.of("team", "v".repeat(257)))).hasMessageContaining("0-256");
        assertThatThrownBy(() -> Validators.awsTags("role.tags", Map.of("aws:team", "x"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Validators.awsTags("role.tags", Map.of("team", "a;b"))).hasMessageContaining("may contain");
        assertThat(Validators.awsTags("role.tags", Map.of("irsa.dev/stack", "walkthrough"))).hasSize(1);
    }

    @Test
    void sessionDurationAndSize() {
        assertThatThrownBy(() -> Validators.maxSessionDuration("role.maxSessionDuration", 600)).hasMessageContaining("3600-43200");
        assertThat(Validators.maxSessionDuration("f", 3600)).isEqualTo(3600);
        assertThat(Validators.sizeWithoutWhitespace("{ \"a\" :\n\t1 }")).isEqualTo(7);
    }

    @Test
    void longValuesAreShortenedInTheMessageOnly() {
        String longName = "s".repeat(300);
        ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> Validators.serviceAccountName("serviceAccount.name", longName));
        assertThat(e.value()).isEqualTo(longName);
        assertThat(e.getMessage()).contains("(300 characters)").hasSizeLessThan(300);
    }
}
