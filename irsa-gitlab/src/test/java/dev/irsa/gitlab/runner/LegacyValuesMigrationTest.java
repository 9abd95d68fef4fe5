package dev.irsa.gitlab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.gitlab.runner.LegacyValuesMigration.Disposition;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LegacyValuesMigrationTest {
    static String legacy() throws Exception {
        try (InputStream in = LegacyValuesMigrationTest.class.getResourceAsStream("/seed/legacy-values.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyLegacyKeyIsAccountedFor() throws Exception {
        LegacyValuesMigration.Result r = LegacyValuesMigration.migrate(legacy());
        List<String> leafKeys = new ArrayList<>();
        RunnerValuesTest.paths("", new ObjectMapper(new YAMLFactory()).readTree(legacy()), leafKeys);
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(legacy());
        leafKeys.removeIf(p -> tree.at("/" + p.replace('.', '/')).isObject());
        assertThat(r.keys()).extracting(LegacyValuesMigration.KeyMigration::legacyKey).containsExactlyInAnyOrderElementsOf(leafKeys);
        assertThat(r.keys()).noneMatch(k -> k.disposition() == Disposition.IGNORED);
    }

    @Test
    void saysWhereEachKeyWent() throws Exception {
        LegacyValuesMigration.Result r = LegacyValuesMigration.migrate(legacy());
        assertThat(r.key("runners.serviceAccountName").disposition()).isEqualTo(Disposition.MOVED);
        assertThat(r.key("runners.serviceAccountName").target()).isEqualTo("runners.config [runners.kubernetes] service_account");
        assertThat(r.key("runners.tags").target()).contains("tag_list");
        assertThat(r.key("runners.locked").target()).contains("locked");
        assertThat(r.key("runners.protected").target()).contains("access_level");
        assertThat(r.key("runnerRegistrationToken").target()).isEqualTo("runners.secret");
        assertThat(r.key("runnerRegistrationToken").note()).contains("glrt-");
        assertThat(r.key("runners.nodeSelector.nodepool").target()).contains("node_selector");
        assertThat(r.key("runners.builds.cpuRequests").target()).endsWith("cpu_request");
        assertThat(r.key("concurrent").disposition()).isEqualTo(Disposition.KEPT);
        assertThat(r.key("rbac.create").note()).contains("least-privilege");
        assertThat(r.runnerSettings().tags()).containsExactly("k8s-dev-runner");
        assertThat(r.runnerSettings().locked()).isTrue();
        assertThat(r.runnerSettings().protectedOnly()).isTrue();
    }

    @Test
    void producesEquivalentCurrentValues() throws Exception {
        RunnerValues migrated = LegacyValuesMigration.migrate(legacy()).values().runnerSecretName("app-dev-runner-token")
                .managerServiceAccount(true, "app-dev-runner-manager").build();
        assertThat(migrated.toTree()).isEqualTo(RunnerValuesTest.walkthrough().toTree());
    }

    @Test
    void unknownKeysAreIgnoredAndSaidSo() {
        LegacyValuesMigration.Result r = LegacyValuesMigration.migrate("""
                gitlabUrl: https://gitlab.example.com/
                runners:
                  namespace: ci
                  serviceAccountName: deployer
                  cache:
                    cacheType: s3
                """);
        assertThat(r.key("runners.cache.cacheType").disposition()).isEqualTo(Disposition.IGNORED);
        assertThat(r.values().build().jobs().serviceAccount()).isEqualTo("deployer");
    }
}
