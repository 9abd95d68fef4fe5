package dev.irsa.kubernetes.internal;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules for Kubernetes-side inputs that {@link Validators} does not cover. Checked before any request. */
public final class KubernetesValidation {
    private KubernetesValidation() {
    }

    private static final Pattern ROLE_ARN = Pattern.compile("arn:([^:]+):iam::([^:]*):role(/.*)");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7E]{1,256}");
    /** Kubernetes rejects projected/requested tokens shorter than 10 minutes and longer than 2^32 s. */
    public static final long TOKEN_EXPIRATION_MIN_SECONDS = 600;
    public static final long TOKEN_EXPIRATION_MAX_SECONDS = 1L << 32;

    /** {@code arn:<partition>:iam::<12 digits>:role/<path><name>}. */
    public static String roleArn(String field, String value) {
        Validators.notBlank(field, value);
        Matcher m = ROLE_ARN.matcher(value);
        if (!m.matches()) {
            throw new ValidationException(field, value, "an IAM role ARN looks like arn:aws:iam::123456789012:role/name (or role/path/name)");
        }
        try {
            Validators.partition(field, m.group(1));
            Validators.accountId(field, m.group(2));
            String pathAndName = m.group(3);
            int lastSlash = pathAndName.lastIndexOf('/');
            Validators.rolePath(field, pathAndName.substring(0, lastSlash + 1));
            Validators.roleName(field, pathAndName.substring(lastSlash + 1));
        } catch (ValidationException e) {
            throw new ValidationException(field, value, "in a role ARN: " + e.rule());
        }
        return value;
    }

    /** Kubernetes label value: at most 63 characters, alphanumeric at both ends, {@code -_.} inside. Non-empty here. */
    public static String labelValue(String field, String value) {
        Validators.notBlank(field, value);
        if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw new ValidationException(field, value,
                    "a Kubernetes label value has at most 63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit");
        }
        return value;
    }

    /** A token audience: 1-256 printable ASCII characters without spaces. */
    public static String audience(String field, String value) {
        Validators.notBlank(field, value);
        if (!AUDIENCE.matcher(value).matches()) {
            throw new ValidationException(field, value, "an audience is 1-256 printable ASCII characters without spaces");
        }
        return value;
    }

    public static Duration tokenExpiration(String field, Duration value) {
        if (value == null) {
            throw new ValidationException(field, null, "must not be null");
        }
        if (value.getNano() != 0 || value.getSeconds() < TOKEN_EXPIRATION_MIN_SECONDS || value.getSeconds() > TOKEN_EXPIRATION_MAX_SECONDS) {
            throw new ValidationException(field, value,
                    "a service-account token lives a whole number of seconds, at least 600 (10 minutes) and at most 2^32");
        }
        return value;
    }
}
