package dev.irsa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret (runner token, STS secret key, service-account token) that cannot leak by accident:
 * {@link #toString()} prints {@code ****}, and only {@link #reveal()} hands out the value, at the one
 * place that has to send it (a Kubernetes Secret's {@code data}, an HTTP header).
 *
 * <pre>{@code
 * SecretString token = SecretString.of("glrt-abc");
 * String.valueOf(token);   // "****"
 * token.reveal();          // "glrt-abc"
 * }</pre>
 */
public final class SecretString {
    private final char[] value;

    private SecretString(char[] value) {
        this.value = value;
    }

    public static SecretString of(String value) {
        Objects.requireNonNull(value, "value");
        return new SecretString(value.toCharArray());
    }

    /** The secret itself. Call it only where the value must leave the process. */
    public String reveal() {
        return new String(value);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** A short, non-reversible fingerprint (first 8 hex of SHA-256) for comparing secrets in logs. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(reveal().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretString other && MessageDigest.isEqual(
                reveal().getBytes(StandardCharsets.UTF_8), other.reveal().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
