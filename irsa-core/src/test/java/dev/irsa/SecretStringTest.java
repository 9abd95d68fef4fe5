package dev.irsa;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretStringTest {
    @Test
    void neverPrintsItsValue() {
        SecretString token = SecretString.of("glrt-s3cr3t-value");
        assertThat(token.toString()).isEqualTo("****");
        assertThat(String.valueOf(token)).doesNotContain("s3cr3t");
        assertThat("token=" + token).isEqualTo("token=****");
        assertThat(token.fingerprint()).startsWith("sha256:").hasSize(15).doesNotContain("s3cr3t");
    }

    @Test
    void revealsOnlyOnRequestAndComparesByValue() {
        SecretString a = SecretString.of("glrt-abc");
        assertThat(a.reveal()).isEqualTo("glrt-abc");
        assertThat(a).isEqualTo(SecretString.of("glrt-abc")).isNotEqualTo(SecretString.of("glrt-abd"));
        assertThat(a.hashCode()).isEqualTo(SecretString.of("glrt-abc").hashCode());
        assertThat(SecretString.of("").isEmpty()).isTrue();
    }
}
