package dev.irsa.testing.sandbox;

import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.Service;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** close() frees every port and can be repeated; reset() empties the sandbox but keeps its clients valid. */
class SandboxLifecycleTest {

    @Test
    void closeStopsEveryServerAndIsIdempotent() {
        IrsaSandbox sandbox = IrsaSandbox.start();
        List<String> urls = List.of(sandbox.gitlabUrl(), sandbox.issuerLocalUrl().toString(),
                sandbox.kubernetesClient().getMasterUrl().toString());
        assertThat(urls).allSatisfy(u -> assertThat(Ports.listening(u)).as(u).isTrue());

        sandbox.close();
        sandbox.close();

        assertThat(urls).allSatisfy(u -> assertThat(Ports.listening(u)).as(u).isFalse());
    }

    @Test
    void resetForgetsResourcesCallsAndFaultsButKeepsClientsAndToken() throws Exception {
        try (IrsaSandbox sandbox = IrsaSandbox.builder().gitlabProject("group/app").start()) {
            String token = sandbox.gitlabToken().reveal();
            long project = sandbox.gitlabProjectId();
            sandbox.iam().createRole(r -> r.roleName("leftover").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
            sandbox.kubernetesExecutor().ensureNamespace("ci", "ci");
            sandbox.kubernetesExecutor().ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace("ci").name("sa").stack("ci")
                    .roleArn("arn:aws:iam::123456789012:role/leftover")));
            sandbox.gitLabExecutor().createRunner(RunnerSpec.builder().stack("ci").name("r").projectId(project).tags("x").build(), t -> { });
            sandbox.helmExecutor().upgrade(HelmReleaseRequest.builder().releaseName("runner").namespace("ci").chart(HelmChart.gitlabRunner()).build());
            sandbox.faults().failAtCall(Service.IAM, 1).iamPropagationDelay(Duration.ofMinutes(1)).gitlab().respond(500, 5);
            assertThat(sandbox.resources().isEmpty()).isFalse();

            sandbox.reset();

            assertThat(sandbox.resources().isEmpty()).isTrue();
            assertThat(sandbox.calls().all()).isEmpty();
            assertThat(sandbox.gitlabToken().reveal()).isEqualTo(token);
            assertThat(sandbox.gitlabProjectId()).isEqualTo(project);
            // faults are gone and the handed-out clients still work
            sandbox.iam().listRoles();
            assertThat(sandbox.gitLabApi().getProjectApi().getProject("group/app").getId()).isEqualTo(project);
            assertThat(sandbox.awsExecutor().identity().ofCluster(sandbox.clusterName()).issuerUrl()).isEqualTo(sandbox.issuerUrl());
        }
    }

    @Test
    void badSettingsAreRejectedBeforeAnythingStarts() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IrsaSandbox.builder().account("12"))
                .isInstanceOf(dev.irsa.ValidationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IrsaSandbox.builder().region("mars-1"))
                .isInstanceOf(dev.irsa.ValidationException.class);
    }
}
