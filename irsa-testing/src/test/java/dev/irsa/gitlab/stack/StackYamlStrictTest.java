package dev.irsa.gitlab.stack;

import static dev.irsa.gitlab.stack.RunnerStackSpecTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import dev.irsa.gitlab.stack.internal.StackYaml;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec means what every YAML tool reads in it (YAML 1.2 §3.2.2.2: an alias refers to the anchored node),
 * or it is refused: duplicate keys, a second document, oversize specs, null items; each error names the field.
 */
class StackYamlStrictTest {
    private static final String SEED = resource("/stacks/seed.yaml");

    private static void rejects(String yaml, String field, String rule) {
        assertThatThrownBy(() -> RunnerStack.fromYaml(yaml)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            assertThat(e.rule()).as(e.getMessage()).contains(rule);
        });
    }

    @Test
    void anAliasMeansTheAnchoredValueNotTheAnchorsName() {
        String yaml = SEED.replace("  namespace: dev\n", "  namespace: &kube-system dev\n")
                .replace("  release: app-dev-runner\n", "  release: app-dev-runner\n  releaseNamespace: *kube-system\n");
        RunnerStack stack = RunnerStack.fromYaml(yaml);
        // Before: "kube-system" (Jackson's YAMLParser returns an alias as the anchor's name).
        assertThat(stack.releaseNamespace()).isEqualTo("dev");
        assertThat(stack.jobServiceAccount().namespace()).isEqualTo("dev");
    }

    @Test
    void anAliasedMappingIsExpandedToo() {
        String yaml = SEED.replace("  nodeSelector:\n    nodepool: dev\n", "  nodeSelector: &pool\n    nodepool: dev\n")
                + "environments:\n  prod:\n    namespace: prod\n    tags: &tags [k8s-prod-runner]\n  qa:\n    tags: *tags\n";
        RunnerStack stack = RunnerStack.fromYaml(yaml);
        assertThat(stack.environments().get("qa").tags()).contains(java.util.List.of("k8s-prod-runner"));
    }

    @Test
    void duplicateKeysAreRefusedNamingTheKey() {
        rejects(SEED + "name: other\n", "name", "Duplicate field 'name'");
        rejects(SEED.replace("  release: app-dev-runner\n", "  release: app-dev-runner\n  release: other-runner\n"), "runner.release",
                "Duplicate field 'release'");
        rejects(SEED.replace("    nodepool: dev\n", "    nodepool: dev\n    nodepool: prod\n"), "runner.nodeSelector.nodepool", "Duplicate");
    }

    @Test
    void aSecondDocumentIsRefusedNotIgnored() {
        rejects(SEED + "---\nname: evil\n", "(document)", "a second YAML document");
    }

    @Test
    void anUndefinedAliasOrAMergeKeyIsRefused() {
        rejects(SEED.replace("  namespace: dev\n", "  namespace: *nowhere\n"), "serviceAccount.namespace", "refers to no anchor");
        rejects(SEED.replace("  nodeSelector:\n    nodepool: dev\n", "  nodeSelector:\n    <<: {nodepool: dev}\n"), "runner.nodeSelector",
                "merge keys");
    }

    /** 20 MB of YAML that is not even valid: refused by its size, so the error is the size's, not the syntax's. */
    private static final int TWENTY_MB = 20 * 1024 * 1024;

    private static String brokenYaml(int items) {
        return "runner:\n  tags: [" + "x, ".repeat(items);
    }

    private static final Consumer<ValidationException> REFUSED_BY_SIZE = e -> {
        assertThat(e.field()).isEqualTo("(document)");
        assertThat(e.rule()).contains("at most " + StackYaml.MAX_SPEC_CHARS).contains("not parsed");
    };

    @Test
    void aSpecOverThreeMebibytesIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        String big = brokenYaml(TWENTY_MB / 3);
        assertThatThrownBy(() -> RunnerStack.fromYaml(big)).isInstanceOfSatisfying(ValidationException.class, REFUSED_BY_SIZE);

        Path file = dir.resolve("big.yaml");
        Files.writeString(file, big);
        assertThatThrownBy(() -> RunnerStack.fromYaml(file)).isInstanceOfSatisfying(ValidationException.class, REFUSED_BY_SIZE);

        long[] read = {0};
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> RunnerStack.fromYaml(counting)).isInstanceOfSatisfying(ValidationException.class, REFUSED_BY_SIZE);
        assertThat(read[0]).isLessThanOrEqualTo(StackYaml.MAX_SPEC_CHARS + 1L);
        // Just under the limit the same kind of input is parsed, and fails as the broken YAML it is.
        assertThatThrownBy(() -> RunnerStack.fromYaml(brokenYaml(1000))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.rule()).contains("not valid YAML"));
    }

    @Test
    void nullItemsAreValidationErrorsNamingTheItem() {
        rejects(SEED.replace("    - k8s-dev-runner\n", "    - k8s-dev-runner\n    - null\n"), "runner.tags[1]", "must not be null");
        rejects(SEED.replace("  - IRSA-P002@eks-admin\n", "  - null\n"), "acceptLint[0]", "must not be empty");
        rejects(SEED.replace("  description:", "  managedPolicyArns: [null]\n  description:"), "role.managedPolicyArns[0]", "must not be empty");
        rejects(SEED.replace("    nodepool: dev\n", "    nodepool: null\n"), "runner.nodeSelector[nodepool]", "must not be null");
        rejects(SEED + "environments:\n  prod:\n    tags: [~]\n", "environments.prod.tags[0]", "must not be null");
    }

    @Test
    void runnerTagsNodeSelectorsAndImagesAreCheckedBeforeAnyCall() {
        rejects(SEED.replace("    - k8s-dev-runner\n", "    - \"k8s,dev\"\n"), "runner.tags[0]", "no comma");
        rejects(SEED.replace("    - k8s-dev-runner\n", "    - \" k8s-dev-runner\"\n"), "runner.tags[0]", "whitespace");
        rejects(SEED.replace("    - k8s-dev-runner\n", "    - k8s-dev-runner\n    - k8s-dev-runner\n"), "runner.tags[1]", "unique");
        rejects(SEED.replace("    - k8s-dev-runner\n", "    - " + "t".repeat(256) + "\n"), "runner.tags[0]", "1-255");
        rejects(SEED.replace("    nodepool: dev\n", "    node pool: dev\n"), "runner.nodeSelector", "label key");
        rejects(SEED.replace("    nodepool: dev\n", "    nodepool: dev-\n"), "runner.nodeSelector[nodepool]", "label value");
        rejects(SEED.replace("  image: ubuntu:18.04\n", "  image: \"ubuntu:18.04\\nprivileged = true\"\n"), "runner.image", "image reference");
    }
}
