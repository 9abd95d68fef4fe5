package dev.irsa.gitlab.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmJavaExecutor;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.stack.internal.TokenRollout.Stamp;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A new runner token rolls the runner manager: rendered with the real chart 0.86.0 (vendored, helm-java's
 * {@code template}), the Deployment's pod template changes with the token stamp and with nothing else.
 */
class TokenRolloutChartTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** sha256 of nothing: what {@code checksum/secrets} is when {@code secrets.yaml} renders nothing. */
    private static final String SHA256_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static RunnerValues values() {
        return RunnerValues.builder().gitlabUrl("https://gitlab.example.com").runnerSecretName("gitlab-runner-token")
                .concurrent(4).jobs(j -> j.namespace("dev").serviceAccount("app-deployer").image("ubuntu:18.04")).build();
    }

    static JsonNode deployment(ObjectNode values) throws Exception {
        Path chart = Path.of(TokenRolloutChartTest.class.getResource("/charts/gitlab-runner-0.86.0.tgz").toURI());
        String manifests = new HelmJavaExecutor().template(HelmReleaseRequest.builder().releaseName("app-dev-runner")
                .namespace("dev").chart(HelmChart.local(chart)).values(Yaml.write(values)).build());
        for (String doc : manifests.split("(?m)^---\\s*$")) {
            JsonNode n = YAML.readTree(doc);
            if (n != null && "Deployment".equals(n.path("kind").asText())) {
                return n;
            }
        }
        throw new AssertionError("no Deployment rendered");
    }

    /**
     * templates/deployment.yaml: checksum/secrets hashes secrets.yaml, which renders only for runnerToken or
     * runnerRegistrationToken; with runners.secret it hashes nothing, so the same values render the same pods.
     */
    @Test
    void withoutTheStampANewTokenRendersTheSameDeployment() throws Exception {
        JsonNode before = deployment(values().toTree());
        JsonNode after = deployment(values().toTree());
        assertThat(after).isEqualTo(before);
        assertThat(before.at("/spec/template/metadata/annotations/checksum~1secrets").asText()).isEqualTo(SHA256_OF_NOTHING);
    }

    @Test
    void aNewTokenChangesThePodTemplateByItsStampAlone() throws Exception {
        Stamp first = Stamp.next(Optional.empty(), 101, true);
        Stamp rotated = Stamp.next(Optional.of(first), 102, true);
        JsonNode before = deployment(TokenRollout.stamped(values().toTree(), first));
        JsonNode after = deployment(TokenRollout.stamped(values().toTree(), rotated));

        JsonNode beforeAnnotations = before.at("/spec/template/metadata/annotations");
        JsonNode afterAnnotations = after.at("/spec/template/metadata/annotations");
        assertThat(beforeAnnotations.path(TokenRollout.ANNOTATION).asText()).isEqualTo("101-1");
        assertThat(afterAnnotations.path(TokenRollout.ANNOTATION).asText()).isEqualTo("102-2");
        assertThat(after.at("/spec/template")).as("a new pod template: Kubernetes rolls the Deployment")
                .isNotEqualTo(before.at("/spec/template"));
        // everything else is the same: the stamp is the whole change
        ((ObjectNode) beforeAnnotations).remove(TokenRollout.ANNOTATION);
        ((ObjectNode) afterAnnotations).remove(TokenRollout.ANNOTATION);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void theSameTokenKeepsItsStampAndThePodsStay() throws Exception {
        Stamp live = new Stamp(101, 3);
        assertThat(Stamp.next(Optional.of(live), 101, false)).isEqualTo(live);
        assertThat(Stamp.next(Optional.of(live), 101, true)).isEqualTo(new Stamp(101, 4));
        assertThat(Stamp.next(Optional.of(live), 102, false)).as("another runner is another token").isEqualTo(new Stamp(102, 4));
        assertThat(deployment(TokenRollout.stamped(values().toTree(), Stamp.next(Optional.of(live), 101, false))))
                .isEqualTo(deployment(TokenRollout.stamped(values().toTree(), live)));
    }

    @Test
    void aStampIsReadBackOnlyWhenWellFormedAndOtherPodAnnotationsStay() {
        assertThat(TokenRollout.read(Map.of("podAnnotations", Map.of(TokenRollout.ANNOTATION, "7-2")))).contains(new Stamp(7, 2));
        assertThat(TokenRollout.read(Map.of("podAnnotations", Map.of(TokenRollout.ANNOTATION, "glrt-x")))).isEmpty();
        assertThat(TokenRollout.read(Map.of())).isEmpty();
        ObjectNode values = values().toTree();
        values.putObject("podAnnotations").put("team", "ci");
        ObjectNode stamped = TokenRollout.stamped(values, new Stamp(7, 1));
        assertThat(stamped.at("/podAnnotations/team").asText()).isEqualTo("ci");
        assertThat(values.at("/podAnnotations").has(TokenRollout.ANNOTATION)).as("the input is not changed").isFalse();
    }
}
