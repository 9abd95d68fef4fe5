package dev.irsa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void controlFormatAndSeparatorCharactersAreEscaped() {
        assertThat(SafeText.escape("dev\u001b[31m\nrule: forged\r\t")).isEqualTo("dev\\u001b[31m\\nrule: forged\\r\\t");
        assertThat(SafeText.escape("a\u0000b\u007fc\u009bd")).isEqualTo("a\\u0000b\\u007fc\\u009bd");
        // Bidi overrides and isolates (Trojan Source), zero-width and line/paragraph separators.
        assertThat(SafeText.escape("x\u202ey\u2066z\u200b\u2028\u2029")).isEqualTo("x\\u202ey\\u2066z\\u200b\\u2028\\u2029");
        // A lone surrogate is escaped; a pair that is a printable character is kept; a format pair is escaped.
        assertThat(SafeText.escape("a\ud800b")).isEqualTo("a\\ud800b");
        assertThat(SafeText.escape("\ud83d\ude00 ok é ß 日本")).isEqualTo("\ud83d\ude00 ok é ß 日本");
        assertThat(SafeText.escape("\udb40\udc01")).isEqualTo("\\udb40\\udc01");
    }

    @Test
    void printableTextIsReturnedAsIs() {
        String text = "arn:aws:iam::111122223333:role/eks-cluster-role \"quoted\" \\ back";
        assertThat(SafeText.escape(text)).isSameAs(text);
    }

    @Test
    void longTextIsCutWithAMarker() {
        assertThat(SafeText.shorten("x".repeat(500), 100)).isEqualTo("x".repeat(100) + "... (500 characters)");
        assertThat(SafeText.shorten("short", 100)).isEqualTo("short");
        assertThat(SafeText.shorten("\u001b".repeat(50), 100)).hasSizeLessThan(130).doesNotContain("\u001b");
    }

    @Test
    void aValidationMessageCannotCarryControlCharactersOrAForgedLine() {
        ValidationException e = new ValidationException("runner.nodeSelector[a\nb]", "dev\u001b[31m\nrule: forged", "a label value\u202e");
        assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\n").doesNotContain("\u202e")
                .contains("\\u001b[31m\\nrule: forged").contains("runner.nodeSelector[a\\nb]");
        assertThat(e.value()).isEqualTo("dev\u001b[31m\nrule: forged");
    }
}
