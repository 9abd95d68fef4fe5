package dev.irsa.gitlab.runner;

import dev.irsa.SecretString;
import dev.irsa.lint.Finding;
import dev.irsa.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerValuesLintTest {
    @Test
    void matchingBindingIsClean() {
        assertThat(RunnerValuesLint.lint(RunnerValuesTest.walkthrough(), "dev", "app-deployer")).isEmpty();
    }

    @Test
    void serviceAccountMismatchIsAnError() {
        List<Finding> findings = RunnerValuesLint.lint(RunnerValuesTest.walkthrough(), "dev", "other-sa");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("IRSA-G001");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("app-deployer", "other-sa");
        });
    }

    @Test
    void namespaceMismatchIsAnError() {
        assertThat(RunnerValuesLint.lint(RunnerValuesTest.walkthrough(), "prod", "app-deployer"))
                .extracting(Finding::id, Finding::severity).containsExactly(org.assertj.core.groups.Tuple.tuple("IRSA-G002", Severity.ERROR));
    }

    @Test
    void wildcardRbacPrivilegedAndInlineTokenAreWarnings() {
        RunnerValues values = RunnerValuesTest.walkthrough().toBuilder()
                .rbacRules(List.of(RbacRule.core(List.of("*"), List.of("*"))))
                .jobs(j -> j.privileged(true))
                .runnerSecretName(null).runnerToken(SecretString.of("glrt-x1"))
                .build();
        assertThat(RunnerValuesLint.lint(values, "dev", "app-deployer")).extracting(Finding::id)
                .containsExactly("IRSA-G003", "IRSA-G004", "IRSA-G005");
    }

    @Test
    void legacyValuesAreFlagged() throws Exception {
        List<Finding> findings = RunnerValuesLint.lintLegacyValues(LegacyValuesMigrationTest.legacy());
        assertThat(findings).filteredOn(f -> f.id().equals("IRSA-G007")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
        assertThat(findings).filteredOn(f -> f.id().equals("IRSA-G006")).extracting(Finding::location)
                .contains("runners.serviceAccountName", "runners.image", "runners.tags", "runners.nodeSelector.nodepool")
                .doesNotContain("concurrent", "gitlabUrl");
        assertThat(findings).filteredOn(f -> f.location().equals("runners.serviceAccountName")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("service_account"));
    }
}
