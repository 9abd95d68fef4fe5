package dev.irsa.kubernetes;

import dev.irsa.kubernetes.internal.ObjectPatch;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectPatchTest {

    @Test
    void onlyDifferingKeysBecomeOperationsAfterTheResourceVersionPrecondition() {
        Map<String, Map<String, String>> sections = new HashMap<>();
        sections.put("/metadata/annotations", Map.of("eks.amazonaws.com/role-arn", "old", "keep", "x", "a~b", "1"));
        sections.put("/metadata/labels", null);
        ObjectPatch patch = new ObjectPatch("42", sections)
                .set("/metadata/annotations", "keep", "x")
                .set("/metadata/annotations", "eks.amazonaws.com/role-arn", "new")
                .remove("/metadata/annotations", "a~b")
                .remove("/metadata/annotations", "absent")
                .set("/metadata/labels", "app.kubernetes.io/managed-by", "irsa")
                .set("/metadata/labels", "irsa.dev/stack", "demo");

        assertThat(patch.changes()).isEqualTo(4);
        assertThat(patch.toJson()).isEqualTo("["
                + "{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/eks.amazonaws.com~1role-arn\",\"value\":\"new\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/annotations/a~0b\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"app.kubernetes.io/managed-by\":\"irsa\",\"irsa.dev/stack\":\"demo\"}}]");
    }

    @Test
    void nothingToChangeIsEmpty() {
        ObjectPatch patch = new ObjectPatch("1", Map.of("/data", Map.of("k", "v"))).set("/data", "k", "v").remove("/data", "other");
        assertThat(patch.isEmpty()).isTrue();
    }
}
