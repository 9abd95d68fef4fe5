package dev.irsa.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LintCommandTest {
    @TempDir
    Path dir;

    private Path copySeed(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/seed/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void seedAdminPolicyFailsOnTheEscalationFinding() throws IOException {
        CliRun run = CliRun.of("lint", copySeed("eks-admin-policy.json").toString());
        assertThat(run.exitCode()).isEqualTo(IrsaCli.FAILED);
        List<String> findings = Arrays.stream(run.out().split("\n")).filter(l -> l.startsWith("IRSA-")).toList();
        assertThat(findings).isNotEmpty().allMatch(l -> l.matches("IRSA-[TP]\\d{3} (ERROR|WARNING|INFO) .*"));
        assertThat(findings).anyMatch(l -> l.startsWith("IRSA-P002 ERROR") && l.contains("iam:*"));
        assertThat(run.out()).contains("1 unaccepted error(s)");
    }

    @Test
    void acceptingTheFindingDeliberatelyPasses() throws IOException {
        CliRun run = CliRun.of("lint", copySeed("eks-admin-policy.json").toString(), "--accept", "IRSA-P002");
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("IRSA-P002 ERROR").contains("[accepted]").contains("0 unaccepted error(s)");
    }

    @Test
    void seedTrustPolicyIsRecognisedAsTrustAndClean() throws IOException {
        CliRun run = CliRun.of("lint", copySeed("trust-policy.json").toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).doesNotContain("ERROR").contains("0 unaccepted error(s)");
    }

    @Test
    void trustWithoutAudienceAndWildcardSubjectIsFlagged() throws IOException {
        Path file = dir.resolve("loose-trust.json");
        Files.writeString(file, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:dev:*"}}}]}
                """);
        CliRun run = CliRun.of("lint", file.toString());
        assertThat(run.exitCode()).isEqualTo(IrsaCli.FAILED);
        assertThat(run.out()).containsPattern("(?m)^IRSA-T\\d{3} ERROR");
    }

    @Test
    void unreadableOrInvalidInputIsExitTwo() throws IOException {
        CliRun missing = CliRun.of("lint", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(missing.err()).contains("field: FILE").contains("nope.json").contains("rule:");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"Statement\": [");
        CliRun bad = CliRun.of("lint", broken.toString());
        assertThat(bad.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(bad.err()).contains("field: FILE").contains("rule:");

        Path noAction = dir.resolve("no-action.json");
        Files.writeString(noAction, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}");
        CliRun invalid = CliRun.of("lint", noAction.toString());
        assertThat(invalid.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(invalid.err()).contains("field: permissionsPolicy");
    }

    private Path seedSpec() throws IOException {
        Path file = dir.resolve("seed.yaml");
        try (InputStream in = getClass().getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void stackSpecIsLintedWithItsAcceptedFindings() throws IOException {
        Path spec = seedSpec();
        CliRun run = CliRun.of("lint", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("IRSA-P002 ERROR").contains("[accepted]").contains("0 unaccepted error(s)");

        Path unaccepted = dir.resolve("unaccepted.yaml");
        Files.writeString(unaccepted, Files.readString(spec).replace("  - IRSA-P002", "  - IRSA-P008"));
        CliRun failing = CliRun.of("lint", unaccepted.toString());
        assertThat(failing.exitCode()).isEqualTo(IrsaCli.FAILED);
        assertThat(failing.out()).containsPattern("(?m)^IRSA-P002 ERROR .*iam:\\*");
    }
}
