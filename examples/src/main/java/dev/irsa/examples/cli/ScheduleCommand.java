package dev.irsa.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code irsa schedule --spec FILE --image IMAGE --role-arn ARN [--evening 20:00 --morning 07:00 --time-zone Europe/Dublin]
 * [--write DIR]}: the evening/morning IAM cycle as a Kubernetes CronJob pair and as crontab lines.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Print (or --write) Kubernetes CronJobs that destroy the stack's IAM part in the evening and apply it in the morning",
                "(irsa destroy|apply --iam-only, under their own IRSA service account), and the equivalent crontab lines."})
final class ScheduleCommand implements Callable<Integer> {
    static final String MANIFESTS = "irsa-schedule.yaml";
    static final String CRONTAB = "irsa-schedule.crontab";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The stack spec (YAML); it is validated and put in a ConfigMap.")
    Path specFile;
    @Option(names = "--image", required = true, description = "The irsa container image (its entrypoint is irsa).")
    String image;
    @Option(names = "--role-arn", required = true, paramLabel = "ARN",
            description = "The scheduler's own IAM role (annotation eks.amazonaws.com/role-arn on its service account); it may manage the stack's role and provider.")
    String roleArn;
    @Option(names = "--evening", defaultValue = "20:00", paramLabel = "HH:MM", description = "When the role is deleted (default: ${DEFAULT-VALUE}).")
    String evening;
    @Option(names = "--morning", defaultValue = "07:00", paramLabel = "HH:MM", description = "When the role is created again (default: ${DEFAULT-VALUE}).")
    String morning;
    @Option(names = "--time-zone", defaultValue = "UTC", paramLabel = "ZONE", description = "IANA time zone of both times, e.g. Europe/Dublin (default: ${DEFAULT-VALUE}).")
    String timeZone;
    @Option(names = "--namespace", defaultValue = "irsa-system", description = "Namespace of the CronJobs, their service account and the lock (default: ${DEFAULT-VALUE}).")
    String namespace;
    @Option(names = "--service-account", defaultValue = "irsa-nightly", description = "The CronJobs' service account (default: ${DEFAULT-VALUE}).")
    String serviceAccount;
    @Option(names = "--name", defaultValue = "irsa-nightly", description = "Prefix of the objects' names (default: ${DEFAULT-VALUE}).")
    String name;
    @Option(names = "--write", paramLabel = "DIR", description = "Write " + MANIFESTS + " and " + CRONTAB + " into DIR instead of printing them.")
    Path write;

    @Override
    public Integer call() {
        SpecArtifacts.stacks(specFile, null);   // a spec irsa would refuse is refused now, not at 20:00
        ScheduleManifests manifests = new ScheduleManifests(name, namespace, serviceAccount, roleArn, image,
                specFile.getFileName().toString(), read(specFile), ScheduleManifests.time("schedule.evening", evening),
                ScheduleManifests.time("schedule.morning", morning), ScheduleManifests.zone("schedule.timeZone", timeZone));
        String yaml = manifests.yaml();
        String crontab = manifests.crontab(specFile.toAbsolutePath().normalize().toString());
        var out = spec.commandLine().getOut();
        if (write == null) {
            out.println(yaml.stripTrailing());
            out.println();
            out.print(crontab);
        } else {
            try {
                Files.createDirectories(write);
                Files.writeString(write.resolve(MANIFESTS), yaml, StandardCharsets.UTF_8);
                Files.writeString(write.resolve(CRONTAB), crontab, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write to " + write + ": " + e.getMessage(), e);
            }
            out.println("Wrote " + write.resolve(MANIFESTS) + " (kubectl apply -f) and " + write.resolve(CRONTAB) + ".");
        }
        out.flush();
        return IrsaCli.OK;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
