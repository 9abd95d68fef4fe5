package dev.irsa.examples.cli;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The evening/morning IAM cycle as Kubernetes objects, built with fabric8's model builders: a service account
 * annotated for IRSA (the scheduler's own role, which may manage the stack's role and provider), a ConfigMap
 * holding the spec, a Role and RoleBinding for the stack's lock (Leases in the same namespace), and two CronJobs
 * running {@code irsa destroy --iam-only} in the evening and {@code irsa apply --iam-only} in the morning,
 * scheduled in {@code spec.timeZone} (stable since Kubernetes 1.27, KEP-3140;
 * https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones). Plus the same as crontab lines.
 */
record ScheduleManifests(String name, String namespace, String serviceAccount, String roleArn, String image,
                         String specFileName, String specText, LocalTime evening, LocalTime morning, ZoneId zone) {
    static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
    static final String SPEC_DIR = "/etc/irsa";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@/-]{1,576}");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    ScheduleManifests {
        Validators.dns1123Label("schedule.name", name);
        Validators.namespace("schedule.namespace", namespace);
        Validators.serviceAccountName("schedule.serviceAccount", serviceAccount);
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw new ValidationException("schedule.roleArn", roleArn, "an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>");
        }
        Validators.notBlank("schedule.image", image);
        if (image.chars().anyMatch(c -> c <= ' ')) {
            throw new ValidationException("schedule.image", image, "an image reference without spaces or control characters");
        }
    }

    /** {@code HH:mm}, e.g. 20:00. */
    static LocalTime time(String field, String value) {
        try {
            return LocalTime.parse(value, HH_MM);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ValidationException(field, value, "a time of day as HH:mm, e.g. 20:00");
        }
    }

    /** An IANA time zone, e.g. Europe/Dublin (what CronJob's spec.timeZone accepts). */
    static ZoneId zone(String field, String value) {
        try {
            if (value == null || !value.contains("/") && !value.equals("UTC")) {
                throw new ValidationException(field, value, "an IANA time zone name, e.g. Europe/Dublin or UTC");
            }
            return ZoneId.of(value);
        } catch (java.time.DateTimeException e) {
            throw new ValidationException(field, value, "an IANA time zone name, e.g. Europe/Dublin or UTC");
        }
    }

    /** Cron's "minute hour * * *" for a daily time. */
    static String daily(LocalTime time) {
        return time.getMinute() + " " + time.getHour() + " * * *";
    }

    /** One {@code List} document (kubectl apply -f takes it as it is). */
    String yaml() {
        return new KubernetesSerialization().asYaml(objects());
    }

    KubernetesList objects() {
        List<HasMetadata> items = List.of(
                new ServiceAccountBuilder().withNewMetadata().withName(serviceAccount).withNamespace(namespace)
                        .withLabels(labels()).withAnnotations(Map.of(ROLE_ARN_ANNOTATION, roleArn)).endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withName(name + "-spec").withNamespace(namespace).withLabels(labels()).endMetadata()
                        .withData(Map.of(specFileName, specText)).build(),
                new RoleBuilder().withNewMetadata().withName(name + "-lock").withNamespace(namespace).withLabels(labels()).endMetadata()
                        .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update", "delete").endRule().build(),
                new RoleBindingBuilder().withNewMetadata().withName(name + "-lock").withNamespace(namespace).withLabels(labels()).endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name + "-lock").endRoleRef()
                        .addNewSubject().withKind("ServiceAccount").withName(serviceAccount).withNamespace(namespace).endSubject().build(),
                cronJob("evening", evening, "destroy"),
                cronJob("morning", morning, "apply"));
        return new KubernetesListBuilder().withItems(items).build();
    }

    private CronJob cronJob(String when, LocalTime at, String command) {
        return new CronJobBuilder()
                .withNewMetadata().withName(name + "-" + when).withNamespace(namespace).withLabels(labels()).endMetadata()
                .withNewSpec().withSchedule(daily(at)).withTimeZone(zone.getId()).withConcurrencyPolicy("Forbid")
                .withNewJobTemplate().withNewSpec().withBackoffLimit(3)
                .withNewTemplate().withNewMetadata().withLabels(labels()).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withRestartPolicy("Never")
                .addNewContainer().withName("irsa").withImage(image).withArgs(args(command, SPEC_DIR + "/" + specFileName))
                .addNewVolumeMount().withName("spec").withMountPath(SPEC_DIR).withReadOnly(true).endVolumeMount().endContainer()
                .addNewVolume().withName("spec").withNewConfigMap().withName(name + "-spec").endConfigMap().endVolume()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build();
    }

    private List<String> args(String command, String spec) {
        return List.of(command, "--iam-only", "--spec", spec, "--lock-namespace", namespace);
    }

    private Map<String, String> labels() {
        return Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/managed-by", "irsa");
    }

    /**
     * The same schedule for a host's crontab. {@code CRON_TZ} is understood by cronie (most Linux
     * distributions); other crons run in the host's time zone, as the comment says.
     */
    String crontab(String specPath) {
        return "# irsa: IAM role out of hours (evening destroy, morning apply); the host needs AWS credentials\n"
                + "# CRON_TZ is read by cronie; other crons use the host's time zone.\n"
                + "CRON_TZ=" + zone.getId() + "\n"
                + daily(evening) + " " + String.join(" ", cli("destroy", specPath)) + "\n"
                + daily(morning) + " " + String.join(" ", cli("apply", specPath)) + "\n";
    }

    private List<String> cli(String command, String specPath) {
        return List.of("irsa", command, "--iam-only", "--spec", specPath);
    }
}
