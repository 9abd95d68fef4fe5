package dev.irsa.aws.internal;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyDocumentsTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
            + "\"arn:aws:iam::123456789012:oidc-provider/oidc.example.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
            + "\"Condition\":{\"StringEquals\":{\"oidc.example.com:sub\":\"system:serviceaccount:ci:a+b\",\"oidc.example.com:aud\":\"sts.amazonaws.com\"}}}]}";

    @Test
    void decodesWhatIamReturnsAndLeavesPlainJsonAlone() {
        String encoded = URLEncoder.encode(TRUST, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(PolicyDocuments.decode(encoded)).isEqualTo(TRUST);
        assertThat(PolicyDocuments.decode(TRUST)).isEqualTo(TRUST);
        assertThat(PolicyDocuments.decode(null)).isNull();
    }

    @Test
    void equivalenceIgnoresWhitespaceKeyOrderAndConditionOrder() {
        String reordered = "{\"Statement\":[{\"Condition\":{\"StringEquals\":{\"oidc.example.com:aud\":\"sts.amazonaws.com\","
                + "\"oidc.example.com:sub\":\"system:serviceaccount:ci:a+b\"}},\"Action\":[\"sts:AssumeRoleWithWebIdentity\"],"
                + "\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/oidc.example.com\"},\"Effect\":\"Allow\"}],\n  \"Version\":\"2012-10-17\"}";
        assertThat(PolicyDocuments.equivalent(TRUST, reordered)).isTrue();
        assertThat(PolicyDocuments.equivalent(URLEncoder.encode(TRUST, StandardCharsets.UTF_8), reordered)).isTrue();
    }

    @Test
    void aDifferentSubjectIsDrift() {
        assertThat(PolicyDocuments.equivalent(TRUST, TRUST.replace("ci:a+b", "ci:*"))).isFalse();
        assertThat(PolicyDocuments.equivalent(TRUST, TRUST.replace("StringEquals", "StringLike"))).isFalse();
    }
}
