package dev.irsa.testing.helm;

import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmException;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.runner.RunnerValues;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeHelmTest {
    static HelmReleaseRequest request() {
        RunnerValues values = RunnerValues.builder().gitlabUrl("https://gitlab.com")
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer")).build();
        return HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.gitlabRunner()).values(values.toYaml()).build();
    }

    @Test
    void behavesLikeHelmForInstallUpgradeUninstall() {
        FakeHelm helm = new FakeHelm();
        assertThat(helm.status("app-dev-runner", "dev")).isEmpty();
        assertThat(helm.install(request()).revision()).isEqualTo(1);
        assertThatThrownBy(() -> helm.install(request())).isInstanceOf(HelmException.class).hasMessageContaining("still in use");
        assertThat(helm.upgrade(request()).revision()).isEqualTo(2);
        assertThat(helm.status("app-dev-runner", "dev")).hasValueSatisfying(r -> assertThat(r.deployed()).isTrue());
        assertThat(helm.release("app-dev-runner", "dev").orElseThrow().values()).contains("service_account = 'app-deployer'");
        assertThat(helm.release("app-dev-runner", "dev").orElseThrow().chart()).isEqualTo("gitlab/gitlab-runner@0.86.0");
        helm.uninstall("app-dev-runner", "dev");
        helm.uninstall("app-dev-runner", "dev");
        assertThat(helm.releases()).isEmpty();
        assertThat(helm.calls()).containsExactly("status dev/app-dev-runner", "install dev/app-dev-runner",
                "install dev/app-dev-runner", "upgrade dev/app-dev-runner", "status dev/app-dev-runner",
                "uninstall dev/app-dev-runner", "uninstall dev/app-dev-runner");
    }

    /**
     * chart 0.86.0 renders the pod template from the values (and checksum/configmap of them) and, through
     * checksum/secrets of secrets.yaml, from an inline runnerToken only: an upgrade with the same values and a
     * runners.secret is no rollout, whatever the Secret now holds.
     */
    private static HelmReleaseRequest.Builder stamped() {
        return HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev").chart(HelmChart.gitlabRunner())
                .values(request().values() + "podAnnotations:\n  irsa.dev/runner-token-generation: 7-2\n");
    }

    @Test
    void countsTheRolloutsAnUpgradeCausesLikeTheChartsPodTemplate() {
        FakeHelm helm = new FakeHelm();
        assertThat(helm.rollouts("app-dev-runner", "dev")).isZero();
        helm.install(request());
        helm.upgrade(request());
        assertThat(helm.rollouts("app-dev-runner", "dev")).as("same values: same pod template").isEqualTo(1);
        helm.upgrade(stamped().build());
        assertThat(helm.rollouts("app-dev-runner", "dev")).isEqualTo(2);
        helm.upgrade(stamped().secretValues(java.util.Map.of("runnerToken", dev.irsa.SecretString.of("glrt-inline-token-0001"))).build());
        assertThat(helm.rollouts("app-dev-runner", "dev")).as("an inline token changes checksum/secrets").isEqualTo(3);
        helm.uninstall("app-dev-runner", "dev");
        assertThat(helm.rollouts("app-dev-runner", "dev")).isZero();
    }

    @Test
    void injectsFaults() {
        FakeHelm helm = new FakeHelm();
        helm.failNext("upgrade", 1, "timed out waiting for the condition");
        assertThatThrownBy(() -> helm.upgrade(request())).isInstanceOf(HelmException.class).hasMessageContaining("timed out");
        assertThat(helm.releases()).isEmpty();
        assertThat(helm.upgrade(request()).revision()).isEqualTo(1);
        helm.failCall(2, "boom");
        helm.status("app-dev-runner", "dev");
        assertThatThrownBy(() -> helm.uninstall("app-dev-runner", "dev")).hasMessageContaining("boom");
        helm.markFailed("app-dev-runner", "dev");
        assertThat(helm.status("app-dev-runner", "dev").orElseThrow().deployed()).isFalse();
    }

    @Test
    void statusWithValuesIsAStatusThenAValuesReadAsHelmJavaExecutorMakesThem() {
        FakeHelm helm = new FakeHelm();
        assertThat(helm.statusWithValues("app-dev-runner", "dev")).isEmpty();
        RunnerValues values = RunnerValues.builder().gitlabUrl("https://gitlab.com")
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer")).build();
        helm.upgrade(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev").chart(HelmChart.gitlabRunner())
                .values(values.toYaml()).secretValues(java.util.Map.of("runnerToken", dev.irsa.SecretString.of("glrt-in-values-1"))).build());
        int before = helm.calls().size();

        check(helm.statusWithValues("app-dev-runner", "dev").orElseThrow(), helm.values("app-dev-runner", "dev").orElseThrow());

        // two recorded calls, as HelmJavaExecutor's two helm-java reads (status, then get values); then check's own values
        assertThat(helm.calls().subList(before, helm.calls().size()))
                .containsExactly("status dev/app-dev-runner", "values dev/app-dev-runner", "values dev/app-dev-runner");
        helm.failNext("values", 1, "cluster unreachable");
        assertThatThrownBy(() -> helm.statusWithValues("app-dev-runner", "dev")).hasMessageContaining("cluster unreachable");
        helm.failNext("status", 1, "cluster unreachable");
        assertThatThrownBy(() -> helm.statusWithValues("app-dev-runner", "dev")).hasMessageContaining("cluster unreachable");
    }

    private static void check(dev.irsa.gitlab.helm.HelmReleaseWithValues read, java.util.Map<String, Object> values) {
        assertThat(read.release().name()).isEqualTo("app-dev-runner");
        assertThat(read.release().deployed()).isTrue();
        assertThat(read.values()).isEqualTo(values).containsKey("gitlabUrl").doesNotContainKey("runnerToken");
    }
}
