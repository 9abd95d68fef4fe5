package dev.irsa.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterRefTest {
    static final String ACCOUNT = "111122223333";

    /** EKS issuer hosts: oidc.eks.<region>.amazonaws.com (aws, aws-us-gov for us-gov-*), oidc.eks.<region>.amazonaws.com.cn (aws-cn). */
    @ParameterizedTest
    @CsvSource({
            "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE, aws",
            "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE, aws-cn",
            "https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLE, aws-us-gov",
            "https://gitlab.example.com, aws"})
    void anIssuerWithItsAccountNeedsNoPartition(String issuer, String partition) {
        ClusterRef cluster = ClusterRef.issuer(issuer, ACCOUNT);
        assertThat(cluster.partition()).isEqualTo(partition);
        assertThat(cluster.issuerUrl()).contains(issuer);
        assertThat(cluster.accountId()).contains(ACCOUNT);
        assertThat(cluster.resolved()).isTrue();
    }

    @Test
    void theShortFormStillValidatesTheIssuerNamingTheField() {
        assertThatThrownBy(() -> ClusterRef.issuer("http://oidc.example.com", ACCOUNT))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cluster.issuerUrl"));
        assertThatThrownBy(() -> ClusterRef.issuer("https://oidc.example.com", "1234"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cluster.accountId"));
    }
}
