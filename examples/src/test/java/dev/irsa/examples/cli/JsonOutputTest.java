package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --output json}: stdout is exactly one JSON document of schema version 1 (examples/OUTPUT-JSON.md), the
 * human text moves to stderr, and no secret is in it.
 */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SeedOnSharedSandbox seed = new SeedOnSharedSandbox();

    /** The whole of stdout parsed as one document (trailing text would fail the parse of a second value). */
    private JsonNode document(CliRun run, String command) throws IOException {
        JsonNode doc;
        try (var parser = JSON.createParser(run.out())) {
            doc = JSON.readTree(parser);
            assertThat(parser.nextToken()).as("one document only: " + run.out()).isNull();
        }
        assertThat(doc.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.path("command").asText()).isEqualTo(command);
        assertThat(doc.path("exitCode").asInt()).isEqualTo(run.exitCode());
        assertThat(doc.path("ok").asBoolean()).isEqualTo(run.exitCode() == 0);
        assertThat(run.out()).doesNotContain("glrt-", seed.sandbox().gitlabToken().reveal());
        return doc;
    }

    @Test
    void planApplyVerifyAndAgainOnOneSandbox() throws IOException {
        CliRun plan = CliRun.of("plan", "--spec", seed.spec(), "--sandbox", "--output", "json");
        JsonNode planned = document(plan, "plan").path("stacks").get(0);
        assertThat(planned.path("stack").asText()).isEqualTo("seed");
        assertThat(planned.path("plan").path("summary").path("add").asInt()).isEqualTo(8);
        assertThat(plan.err()).contains("irsa will perform the following actions on stack \"seed\"");

        CliRun apply = CliRun.of("apply", "--spec", seed.spec(), "--sandbox", "--output", "json");
        JsonNode applied = document(apply, "apply").path("stacks").get(0);
        assertThat(applied.path("result").path("succeeded").asBoolean()).isTrue();
        assertThat(applied.path("result").path("outcomes")).hasSize(8)
                .allSatisfy(o -> assertThat(o.path("status").asText()).isEqualTo("CREATED"));
        assertThat(apply.err()).contains("Apply complete: ");

        CliRun verify = CliRun.of("verify", "--spec", seed.spec(), "--sandbox", "--output", "json");
        JsonNode verified = document(verify, "verify").path("stacks").get(0);
        assertThat(verified.path("passed").asBoolean()).isTrue();
        assertThat(verified.path("checks")).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("name").asText()).isNotBlank();
            assertThat(c.path("status").asText()).isIn("PASS", "SKIPPED");
        });

        CliRun again = CliRun.of("apply", "--spec", seed.spec(), "--sandbox", "--output", "json");
        JsonNode noChange = document(again, "apply").path("stacks").get(0);
        assertThat(noChange.path("plan").path("changes")).allSatisfy(c -> assertThat(c.path("action").asText()).isEqualTo("NO_OP"));
        assertThat(noChange.has("result")).isFalse();
    }

    @Test
    void preflightListsEveryCheck() throws IOException {
        CliRun run = CliRun.of("preflight", "--spec", seed.spec(), "--sandbox", "--output", "json");

        JsonNode stack = document(run, "preflight").path("stacks").get(0);
        assertThat(stack.path("passed").asBoolean()).isTrue();
        assertThat(stack.path("checks").findValuesAsText("name")).contains("aws.credentials", "aws.permissions", "kubernetes.server",
                "gitlab.token", "helm.release");
        assertThat(run.err()).startsWith("(sandbox: ");
    }

    @Test
    void lintOfASpecAndOfAPolicy() throws IOException {
        CliRun run = CliRun.of("lint", seed.spec(), "--output", "json");
        JsonNode doc = document(run, "lint");
        // the seed spec accepts its admin policy's IRSA-P002 where it is (acceptLint)
        assertThat(run.exitCode()).isZero();
        JsonNode report = doc.path("reports").get(0);
        assertThat(report.path("stack").asText()).isEqualTo("seed");
        assertThat(report.path("unacceptedErrors").asInt()).isZero();
        assertThat(report.path("findings")).anySatisfy(f -> {
            assertThat(f.path("id").asText()).isEqualTo("IRSA-P002");
            assertThat(f.path("severity").asText()).isEqualTo("ERROR");
            assertThat(f.path("accepted").asBoolean()).isTrue();
        });

        Path policy = Files.writeString(seed.dir().resolve("p.json"),
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}");
        CliRun clean = CliRun.of("lint", policy.toString(), "--output", "json");
        JsonNode ok = document(clean, "lint");
        assertThat(ok.path("ok").asBoolean()).isTrue();
        assertThat(ok.path("file").asText()).isEqualTo(policy.toString());
        assertThat(ok.path("reports").get(0).path("unacceptedErrors").asInt()).isZero();

        Path admin = Files.writeString(seed.dir().resolve("admin.json"),
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}");
        CliRun refused = CliRun.of("lint", admin.toString(), "--output", "json");
        JsonNode errors = document(refused, "lint");
        assertThat(refused.exitCode()).isEqualTo(IrsaCli.FAILED);
        assertThat(errors.path("reports").get(0).path("unacceptedErrors").asInt()).isPositive();
    }
}
