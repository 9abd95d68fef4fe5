package dev.irsa.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Label rules as the API server applies them to a pod's nodeSelector (ValidatePodSpec → ValidateLabels →
 * k8s.io/apimachinery/pkg/util/validation/validation.go IsQualifiedName, IsValidLabelValue); image references
 * as github.com/distribution/reference (regexp.go, NameTotalLengthMax 255) parses them.
 */
class KubernetesValidatorsTest {
    @Test
    void labelKeysFollowTheQualifiedNameRules() {
        for (String ok : new String[] {"nodepool", "node.kubernetes.io/instance-type", "Kubernetes.IO_x-1", "a", "eks.amazonaws.com/nodegroup"}) {
            assertThat(KubernetesValidators.labelKey("k", ok)).isEqualTo(ok);
        }
        assertThat(KubernetesValidators.labelKey("k", "x".repeat(63))).hasSize(63);
        for (String bad : new String[] {"", "-pool", "pool-", "node pool", "a/b/c", "/pool", "Example.com/pool", "pool\n", "x".repeat(64),
                "p".repeat(254) + "/pool", "nodepool:"}) {
            assertThatThrownBy(() -> KubernetesValidators.labelKey("runner.nodeSelector", bad)).as(bad)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("label key");
        }
    }

    @Test
    void labelValuesAreEmptyOrAQualifiedName() {
        for (String ok : new String[] {"", "dev", "Dev_1.x", "x".repeat(63)}) {
            assertThat(KubernetesValidators.labelValue("v", ok)).isEqualTo(ok);
        }
        for (String bad : new String[] {"-dev", "dev-", "d ev", "dev\n", "x".repeat(64), "a/b"}) {
            assertThatThrownBy(() -> KubernetesValidators.labelValue("v", bad)).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> KubernetesValidators.labelValue("v", null)).isInstanceOf(ValidationException.class).hasMessageContaining("null");
    }

    @Test
    void aNodeSelectorNamesTheBadEntry() {
        Map<String, String> selector = new HashMap<>();
        selector.put("nodepool", null);
        assertThatThrownBy(() -> KubernetesValidators.labels("runner.nodeSelector", selector))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("runner.nodeSelector[nodepool]"));
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "dev");
        assertThatThrownBy(() -> KubernetesValidators.labels("runner.nodeSelector", nullKey)).isInstanceOf(ValidationException.class);
    }

    @Test
    void imageReferencesFollowTheDistributionGrammar() {
        for (String ok : new String[] {"ubuntu", "ubuntu:18.04", "amazon/aws-cli", "registry.gitlab.com/group/project/image:v1.2.3",
                "localhost:5000/ci/tools", "[::1]:5000/x:latest", "gcr.io/distroless/static@sha256:" + "a".repeat(64),
                "alpine:3.20@sha256:" + "0".repeat(64), "my_repo/with__double/and---dashes"}) {
            assertThat(KubernetesValidators.imageReference("image", ok)).isEqualTo(ok);
        }
        for (String bad : new String[] {"ubuntu\nprivileged = true", "ubuntu 18.04", "Ubuntu", "ubuntu:", ":latest", "ubuntu:-x",
                "ubuntu@sha256:abc", "a/" + "b".repeat(300), "ubuntu:18.04\u001b[31m", "ubuntu\t", "{{ .Values.x }}", "x".repeat(700)}) {
            assertThatThrownBy(() -> KubernetesValidators.imageReference("runner.image", bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }
}
