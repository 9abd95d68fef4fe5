package dev.irsa.examples.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code irsa schedule}: the manifests are parsed back with fabric8 and checked field by field. CronJob
 * {@code spec.timeZone} (an IANA name) is stable since Kubernetes 1.27 (KEP-3140,
 * https://github.com/kubernetes/enhancements/issues/3140; https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones).
 */
class ScheduleCommandTest {
    private static final String ROLE = "arn:aws:iam::111122223333:role/irsa-nightly";

    @TempDir
    Path dir;

    private Path seed() throws IOException {
        Path file = dir.resolve("seed.yaml");
        if (!Files.exists(file)) {
            try (InputStream in = getClass().getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
                Files.copy(in, file);
            }
        }
        return file;
    }

    @Test
    void writesACronJobPairUnderItsOwnIrsaServiceAccountAndTheCrontabLines() throws IOException {
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("schedule", "--spec", seed().toString(), "--image", "registry.example.test/irsa:0.1.0",
                "--role-arn", ROLE, "--evening", "20:00", "--morning", "07:00", "--time-zone", "Europe/Dublin", "--write", out.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

        KubernetesList list = new KubernetesSerialization().unmarshal(Files.readString(out.resolve(ScheduleCommand.MANIFESTS)), KubernetesList.class);
        ServiceAccount sa = (ServiceAccount) list.getItems().get(0);
        assertThat(sa.getMetadata().getName()).isEqualTo("irsa-nightly");
        assertThat(sa.getMetadata().getNamespace()).isEqualTo("irsa-system");
        assertThat(sa.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
        ConfigMap spec = (ConfigMap) list.getItems().get(1);
        assertThat(spec.getData()).containsEntry("seed.yaml", Files.readString(seed()));
        Role lock = (Role) list.getItems().get(2);
        assertThat(lock.getRules().get(0).getResources()).containsExactly("leases");
        RoleBinding binding = (RoleBinding) list.getItems().get(3);
        assertThat(binding.getSubjects().get(0).getName()).isEqualTo("irsa-nightly");

        CronJob evening = (CronJob) list.getItems().get(4);
        CronJob morning = (CronJob) list.getItems().get(5);
        assertThat(evening.getSpec().getSchedule()).isEqualTo("0 20 * * *");
        assertThat(morning.getSpec().getSchedule()).isEqualTo("0 7 * * *");
        assertThat(evening.getSpec().getTimeZone()).isEqualTo("Europe/Dublin");
        assertThat(morning.getSpec().getTimeZone()).isEqualTo("Europe/Dublin");
        assertThat(evening.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        PodSpec eveningPod = evening.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        PodSpec morningPod = morning.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(eveningPod.getServiceAccountName()).isEqualTo("irsa-nightly");
        assertThat(eveningPod.getRestartPolicy()).isEqualTo("Never");
        assertThat(eveningPod.getContainers().get(0).getImage()).isEqualTo("registry.example.test/irsa:0.1.0");
        assertThat(eveningPod.getContainers().get(0).getArgs())
                .containsExactly("destroy", "--iam-only", "--spec", "/etc/irsa/seed.yaml", "--lock-namespace", "irsa-system");
        assertThat(morningPod.getContainers().get(0).getArgs())
                .containsExactly("apply", "--iam-only", "--spec", "/etc/irsa/seed.yaml", "--lock-namespace", "irsa-system");
        assertThat(eveningPod.getVolumes().get(0).getConfigMap().getName()).isEqualTo(spec.getMetadata().getName());
        assertThat(eveningPod.getContainers().get(0).getVolumeMounts().get(0).getMountPath()).isEqualTo("/etc/irsa");

        assertThat(Files.readString(out.resolve(ScheduleCommand.CRONTAB))).contains("CRON_TZ=Europe/Dublin",
                "0 20 * * * irsa destroy --iam-only --spec " + seed().toAbsolutePath(),
                "0 7 * * * irsa apply --iam-only --spec " + seed().toAbsolutePath());
    }

    @Test
    void printsToStdoutWithoutWrite() throws IOException {
        CliRun run = CliRun.of("schedule", "--spec", seed().toString(), "--image", "irsa:0.1.0", "--role-arn", ROLE);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("kind: \"CronJob\"", "timeZone: \"UTC\"", "CRON_TZ=UTC");
    }

    @Test
    void badTimesZonesAndArnsAreValidationErrors() throws IOException {
        String spec = seed().toString();
        assertThat(CliRun.of("schedule", "--spec", spec, "--image", "i", "--role-arn", ROLE, "--evening", "25:00").err())
                .contains("field: schedule.evening", "value: 25:00", "HH:mm");
        assertThat(CliRun.of("schedule", "--spec", spec, "--image", "i", "--role-arn", ROLE, "--time-zone", "Mars/Olympus").err())
                .contains("field: schedule.timeZone", "IANA");
        assertThat(CliRun.of("schedule", "--spec", spec, "--image", "i", "--role-arn", ROLE, "--time-zone", "+01:00").err())
                .contains("field: schedule.timeZone");
        CliRun arn = CliRun.of("schedule", "--spec", spec, "--image", "i", "--role-arn", "irsa-nightly");
        assertThat(arn.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(arn.err()).contains("field: schedule.roleArn", "value: irsa-nightly");
    }
}
