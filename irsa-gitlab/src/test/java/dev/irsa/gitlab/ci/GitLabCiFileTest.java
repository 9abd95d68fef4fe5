package dev.irsa.gitlab.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.ValidationException;
import dev.irsa.gitlab.ci.GitLabCiFile.CiImage;
import dev.irsa.gitlab.ci.GitLabCiFile.OidcExchange;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabCiFileTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theWalkthroughsPipelineIsExpressible() throws Exception {
        GitLabCiFile ci = GitLabCiFile.builder()
                .stages("dev")
                .beforeScript(
                        "yum install -y tar gzip",
                        "curl --silent --location \"https://github.com/weaveworks/eksctl/releases/latest/download/eksctl_$(uname -s)_amd64.tar.gz\" | tar xz -C /tmp",
                        "mv /tmp/eksctl /usr/local/bin")
                .job("infra", j -> j.stage("dev").image(CiImage.named("amazon/aws-cli"))
                        .script("eksctl create cluster --name=business --region=eu-west-1 --managed --instance-types t3.medium")
                        .tags("k8s-dev-runner"))
                .build();
        JsonNode seed;
        try (InputStream in = getClass().getResourceAsStream("/seed/gitlab-ci.yml")) {
            seed = YAML.readTree(in);
        }
        assertThat(YAML.readTree(ci.toYaml())).isEqualTo(seed);
    }

    @Test
    void tokenFileModeWritesTheIdTokenForTheSdk() throws Exception {
        GitLabCiFile ci = GitLabCiFile.builder()
                .job("deploy", j -> j.image("amazon/aws-cli")
                        .awsWebIdentity("arn:aws:iam::111122223333:role/gitlab-deployer", "sts.amazonaws.com", OidcExchange.TOKEN_FILE)
                        .script("aws sts get-caller-identity"))
                .build();
        JsonNode job = YAML.readTree(ci.toYaml()).get("deploy");
        assertThat(job.at("/id_tokens/GITLAB_OIDC_TOKEN/aud").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(job.at("/variables/AWS_ROLE_ARN").asText()).isEqualTo("arn:aws:iam::111122223333:role/gitlab-deployer");
        assertThat(job.at("/variables/AWS_WEB_IDENTITY_TOKEN_FILE").asText()).isNotBlank();
        assertThat(job.get("image").asText()).isEqualTo("amazon/aws-cli");
        assertThat(job.get("script").get(0).asText()).contains("$GITLAB_OIDC_TOKEN", "> \"$AWS_WEB_IDENTITY_TOKEN_FILE\"");
        assertThat(job.get("script").get(1).asText()).isEqualTo("aws sts get-caller-identity");
    }

    @Test
    void cliModeCallsAssumeRoleWithWebIdentity() throws Exception {
        GitLabCiFile ci = GitLabCiFile.builder()
                .job("deploy", j -> j.image(CiImage.named("amazon/aws-cli").withEntrypoint(""))
                        .awsWebIdentity("arn:aws:iam::111122223333:role/gitlab-deployer", "https://gitlab.com", OidcExchange.ASSUME_ROLE_CLI)
                        .script("aws s3 ls"))
                .build();
        JsonNode job = YAML.readTree(ci.toYaml()).get("deploy");
        assertThat(job.at("/image/entrypoint/0").asText()).isEmpty();
        assertThat(job.get("script").get(0).asText())
                .contains("aws sts assume-role-with-web-identity", "--web-identity-token \"$GITLAB_OIDC_TOKEN\"", "--role-arn \"$AWS_ROLE_ARN\"");
        assertThat(job.has("id_tokens")).isTrue();
    }

    @Test
    void invalidPipelinesAreRejectedBeforeRendering() {
        assertThatThrownBy(() -> GitLabCiFile.builder().stages("dev").job("a", j -> j.stage("prod").script("x")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.a.stage"));
        assertThatThrownBy(() -> GitLabCiFile.builder().job("a", j -> j.tags("")).build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> GitLabCiFile.builder().job("variables", j -> j.script("x")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> GitLabCiFile.builder().job("a", j -> j.script("x")
                .tags(IntStream.range(0, 51).mapToObj(i -> "t" + i).toArray(String[]::new))).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("50");
        assertThatThrownBy(() -> GitLabCiFile.builder().job("a", j -> j.awsWebIdentity("not-an-arn", "sts", OidcExchange.TOKEN_FILE)).build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> GitLabCiFile.builder().build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> GitLabCiFile.builder().job("a", j -> j.script("x").tags("a,b")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("comma");
    }

    /** GitLab's rules:if (docs: ci/yaml/#rulesif): a list of {if: expression}; the job runs when one holds. */
    @Test
    void rulesIfAreRenderedAsGitLabReadsThemAndMustBeOneLine() throws Exception {
        String yaml = GitLabCiFile.builder()
                .job("deploy", j -> j.script("true").ruleIf("$CI_COMMIT_BRANCH == \"main\"").ruleIf("$CI_COMMIT_TAG =~ /^v/"))
                .build().toYaml();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml);
        assertThat(tree.at("/deploy/rules/0/if").asText()).isEqualTo("$CI_COMMIT_BRANCH == \"main\"");
        assertThat(tree.at("/deploy/rules/1/if").asText()).isEqualTo("$CI_COMMIT_TAG =~ /^v/");
        assertThatThrownBy(() -> GitLabCiFile.builder().job("deploy", j -> j.script("true").ruleIf("a\nb")).build())
                .isInstanceOfSatisfying(dev.irsa.ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.deploy.rules.if"));
    }
}
