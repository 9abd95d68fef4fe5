package dev.irsa.policy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamEffect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionsPolicyTest {
    static final String ADMIN = Json.resource("/seed/eks-admin-policy.json");

    @Test
    void seedAdminPolicyLoadsUnchanged() {
        PermissionsPolicy admin = PermissionsPolicy.fromJson(ADMIN);
        assertThat(Json.tree(admin.toJson())).isEqualTo(Json.tree(ADMIN));
        assertThat(Json.tree(admin.toJson(true))).isEqualTo(Json.tree(ADMIN));
        assertThat(admin.toIamPolicy().statements().get(0).actions()).hasSize(5);
        assertThat(admin.toIamPolicy().statements().get(0).sid()).isEqualTo("eksadministrator");
        assertThat(admin.size()).isEqualTo(admin.toJson().replaceAll("\\s", "").length());
    }

    @Test
    void urlEncodedAsIamReturnsIt() {
        String encoded = URLEncoder.encode(ADMIN, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(Json.tree(PermissionsPolicy.fromJson(encoded).toJson())).isEqualTo(Json.tree(ADMIN));
        assertThat(PermissionsPolicy.fromJson(encoded)).isEqualTo(PermissionsPolicy.fromJson(ADMIN));
    }

    @Test
    void builderWritesIamJson() {
        PermissionsPolicy policy = PermissionsPolicy.builder()
                .addStatement(s -> s.effect(IamEffect.ALLOW)
                        .addAction("s3:GetObject")
                        .addAction("s3:ListBucket")
                        .addResource("arn:aws:s3:::artifacts")
                        .addResource("arn:aws:s3:::artifacts/*"))
                .build();
        assertThat(Json.tree(policy.toJson())).isEqualTo(Json.tree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::artifacts","arn:aws:s3:::artifacts/*"]}]}"""));
        assertThat(PermissionsPolicy.fromJson(policy.toJson())).isEqualTo(policy);
    }

    @Test
    void shapesOfArbitraryIamDocumentsSurvive() {
        String doc = """
                {"Version":"2012-10-17","Id":"ci","Statement":{"Sid":"DenyInsecure","Effect":"Deny","NotAction":["s3:Get*"],
                 "NotResource":"arn:aws:s3:::public/*","Condition":{"Bool":{"aws:SecureTransport":false},
                 "NumericGreaterThan":{"s3:max-keys":[10]},"StringEqualsIfExists":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}}""";
        PermissionsPolicy policy = PermissionsPolicy.fromJson(doc);
        assertThat(Json.tree(policy.toJson())).isEqualTo(Json.tree(doc));
        assertThat(Json.tree(policy.toJson(true))).isEqualTo(Json.tree(doc));
    }
}
