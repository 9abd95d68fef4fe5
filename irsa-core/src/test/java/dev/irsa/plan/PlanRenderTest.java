package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.SecretString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanRenderTest {
    private static final String OLD_TOKEN = "glrt-old-secret-123";
    private static final String NEW_TOKEN = "glrt-new-secret-456";

    private final ToyCloud cloud = new ToyCloud();
    private final Planner planner = Planner.create();
    private final ToyResource provider = ToyResource.of(cloud, "provider").field("url", "https://issuer.example");
    private final ToyResource role = ToyResource.of(cloud, "role").field("path", "/ci/").arnOf("trustedBy", provider);
    private final ToyResource secret = ToyResource.of(cloud, "secret").field("name", "runner-token")
            .secretField("token", NEW_TOKEN);

    @Test
    void rendersLikeTerraformPlan() {
        cloud.putOutOfBand(secret.key(), Map.of("name", "runner-token", "token", OLD_TOKEN), "ci");

        Plan plan = planner.plan("ci", List.of(provider, role, secret));

        assertThat(plan.render()).isEqualTo("""
                irsa will perform the following actions on stack "ci":

                  # toy.thing/provider will be created
                  + toy.thing/provider
                      + url = "https://issuer.example"

                  # toy.thing/role will be created
                  + toy.thing/role
                      + path      = "/ci/"
                      + trustedBy = (known after apply)

                  # toy.thing/secret will be updated in-place
                  ~ toy.thing/secret
                      ~ token = (sensitive value)

                Plan: 2 to add, 1 to change, 0 to destroy.
                """);
    }

    /** A value from a spec or a live object (a pipeline file, a policy) cannot drive the terminal or forge a plan line. */
    @Test
    void valuesAreOneQuotedLineWithControlCharactersEscaped() {
        ToyResource file = ToyResource.of(cloud, "file").field("content", "a \"b\" c\\d\n  + iam.role/forged\u001b[2J\u009b31m\u202e");

        String rendered = planner.plan("ci", List.of(file)).render();

        assertThat(rendered).contains("+ content = \"a \\\"b\\\" c\\\\d\\n  + iam.role/forged\\u001b[2J\\u009b31m\\u202e\"")
                .doesNotContain("\u001b", "\u009b", "\u202e").doesNotContain("\n  + iam.role/forged");
    }

    @Test
    void writesJsonForToolsWithoutSecrets() throws Exception {
        cloud.putOutOfBand(secret.key(), Map.of("name", "runner-token", "token", OLD_TOKEN), "ci");

        String json = planner.plan("ci", List.of(provider, role, secret)).toJson();

        assertThat(json).doesNotContain(OLD_TOKEN).doesNotContain(NEW_TOKEN);
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(tree.at("/stack").asText()).isEqualTo("ci");
        assertThat(tree.at("/summary/add").asInt()).isEqualTo(2);
        assertThat(tree.at("/summary/change").asInt()).isEqualTo(1);
        assertThat(tree.at("/changes/1/id").asText()).isEqualTo("toy.thing/role");
        assertThat(tree.at("/changes/1/dependsOn/0").asText()).isEqualTo("toy.thing/provider");
        assertThat(tree.at("/changes/1/diffs/0/field").asText()).isEqualTo("path");
        assertThat(tree.at("/changes/1/diffs/0/after").asText()).isEqualTo("/ci/");
        assertThat(tree.at("/changes/1/diffs/0").has("before")).isFalse();
        assertThat(tree.at("/changes/1/diffs/1/after/unknown").asBoolean()).isTrue();
        assertThat(tree.at("/changes/2/action").asText()).isEqualTo("UPDATE");
        assertThat(tree.at("/changes/2/diffs/0/before/sensitive").asBoolean()).isTrue();
        assertThat(tree.at("/changes/2/diffs/0/after/sensitive").asBoolean()).isTrue();
    }

    @Test
    void rendersADestroyPlanWithForeignObjectsAsNotes() {
        Applier.create().apply(planner.plan("ci", List.of(provider, role))).orThrow();
        cloud.putOutOfBand(provider.key(), Map.of("url", "https://issuer.example"), null);

        Plan plan = planner.destroyPlan("ci", List.of(provider, role));

        assertThat(plan.render()).isEqualTo("""
                irsa will destroy the following resources of stack "ci":

                  # toy.thing/role will be destroyed
                  - toy.thing/role
                      - path      = "/ci/"
                      - trustedBy = "%s"

                  # toy.thing/provider is not managed by irsa: left untouched

                Plan: 0 to add, 0 to change, 1 to destroy.
                """.formatted(cloud.get(provider.key()).arn()));
    }

    @Test
    void rendersRefusalsAndQuotesSpecialCharacters() {
        ToyResource policy = ToyResource.of(cloud, "policy").field("document", "{\"a\":\n\"b\\c\"}");
        cloud.putOutOfBand(policy.key(), Map.of("document", "{}"), null);

        assertThat(planner.plan("ci", List.of(policy)).render()).isEqualTo("""
                irsa will perform the following actions on stack "ci":

                  # toy.thing/policy exists but is not managed by irsa: refusing to change it
                  ! toy.thing/policy
                      ~ document = "{}" -> "{\\"a\\":\\n\\"b\\\\c\\"}"

                Plan: 0 to add, 0 to change, 0 to destroy, 1 refused.
                """);
    }

    @Test
    void sensitiveValuesNeverAppearInRenderOrToString() {
        cloud.putOutOfBand(secret.key(), Map.of("name", "runner-token", "token", OLD_TOKEN), "ci");
        Plan update = planner.plan("ci", List.of(secret));
        cloud.putOutOfBand(secret.key(), Map.of(), null);
        Plan refuse = planner.plan("ci", List.of(secret));
        Plan create = Planner.create().plan("other", List.of(ToyResource.of(new ToyCloud(), "s")
                .secretField("token", NEW_TOKEN)));
        Change change = update.changes().get(0);

        List<String> texts = List.of(update.render(), update.toString(), refuse.render(), refuse.toString(),
                create.render(), create.toString(), change.toString(), change.diffs().toString(),
                Fields.of(f -> f.putSensitive("token", SecretString.of(NEW_TOKEN))).toString(),
                FieldValue.sensitive(SecretString.of(NEW_TOKEN)).toString(),
                Outputs.of(OutputKey.of("token", SecretString.class), SecretString.of(NEW_TOKEN)).toString());
        assertThat(texts).allSatisfy(text -> assertThat(text)
                .doesNotContain(OLD_TOKEN).doesNotContain(NEW_TOKEN).doesNotContain("secret-"));
        assertThat(change.diffs().toString()).contains("(sensitive value)");
        assertThat(create.render()).contains("+ token = (sensitive value)");
        // The secret is still compared: same value, no change.
        cloud.putOutOfBand(secret.key(), Map.of("name", "runner-token", "token", NEW_TOKEN), "ci");
        assertThat(planner.plan("ci", List.of(secret)).hasChanges()).isFalse();
    }

    @Test
    void fieldDiffToStringShowsBeforeAndAfter() {
        assertThat(FieldDiff.change("path", FieldValue.of("/"), FieldValue.of("/ci/")))
                .hasToString("path: \"/\" -> \"/ci/\"");
        assertThat(new FieldDiff("arn", Optional.empty(), Optional.of(FieldValue.unknown())))
                .hasToString("arn: (none) -> (known after apply)");
    }
}
