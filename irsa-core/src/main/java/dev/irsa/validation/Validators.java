package dev.irsa.validation;

import dev.irsa.ValidationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The limits of IAM, Kubernetes, Helm and GitLab, checked before any remote call. Every method
 * returns its input when it is valid and throws {@link ValidationException} naming the field, the
 * value and the rule otherwise. Shared by all modules so one name gets one rule everywhere.
 *
 * <pre>{@code
 * Validators.roleName("role.name", "eks-cluster-role");       // ok
 * Validators.namespace("serviceAccount.namespace", "My_NS");  // throws ValidationException
 * }</pre>
 */
public final class Validators {
    private Validators() {
    }

    public static final int ROLE_NAME_MAX = 64;
    public static final int ROLE_PATH_MAX = 512;
    public static final int TAGS_MAX = 50;
    public static final int TAG_KEY_MAX = 128;
    public static final int TAG_VALUE_MAX = 256;
    public static final int ISSUER_URL_MAX = 255;
    public static final int DNS1123_LABEL_MAX = 63;
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    public static final int HELM_RELEASE_MAX = 53;
    public static final int RUNNER_TAGS_MAX = 50;
    public static final int MAX_SESSION_DURATION_MIN = 3600;
    public static final int MAX_SESSION_DURATION_MAX = 43200;

    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern ROLE_PATH = Pattern.compile("/|/[\\u0021-\\u007E]*/");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern GITLAB_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");
    private static final Pattern EKS_CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");

    public static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, value, "must not be empty");
        }
        return value;
    }

    /** IAM role name: 1-64 characters of {@code [\w+=,.@-]}. */
    public static String roleName(String field, String value) {
        notBlank(field, value);
        if (value.length() > ROLE_NAME_MAX) {
            throw new ValidationException(field, value, "an IAM role name has at most 64 characters (has " + value.length() + ")");
        }
        if (!ROLE_NAME.matcher(value).matches()) {
            throw new ValidationException(field, value, "an IAM role name may contain only letters, digits and + = , . @ _ -");
        }
        return value;
    }

    /** IAM path: {@code /} or {@code /.../}, printable ASCII, at most 512 characters. */
    public static String rolePath(String field, String value) {
        notBlank(field, value);
        if (value.length() > ROLE_PATH_MAX) {
            throw new ValidationException(field, value, "an IAM path has at most 512 characters");
        }
        if (!ROLE_PATH.matcher(value).matches() || value.contains("//")) {
            throw new ValidationException(field, value, "an IAM path is '/' or starts and ends with '/' (e.g. /ci/), printable ASCII, no '//'");
        }
        return value;
    }

    /** Twelve-digit AWS account id. */
    public static String accountId(String field, String value) {
        notBlank(field, value);
        if (!ACCOUNT_ID.matcher(value).matches()) {
            throw new ValidationException(field, value, "an AWS account id is exactly 12 digits");
        }
        return value;
    }

    public static String partition(String field, String value) {
        notBlank(field, value);
        if (!PARTITIONS.contains(value)) {
            throw new ValidationException(field, value, "an AWS partition is one of " + PARTITIONS.stream().sorted().toList());
        }
        return value;
    }

    public static String region(String field, String value) {
        notBlank(field, value);
        if (!REGION.matcher(value).matches()) {
            throw new ValidationException(field, value, "an AWS region looks like eu-west-1");
        }
        return value;
    }

    public static String eksClusterName(String field, String value) {
        notBlank(field, value);
        if (!EKS_CLUSTER_NAME.matcher(value).matches()) {
            throw new ValidationException(field, value, "an EKS cluster name is 1-100 letters, digits, '-' or '_', starting with a letter or digit");
        }
        return value;
    }

    /**
     * OIDC issuer / provider URL: https, a host, no port, no query or fragment, at most 255 characters.
     * Returns it without a trailing slash, the way IAM stores it.
     */
    public static String issuerUrl(String field, String value) {
        notBlank(field, value);
        if (value.length() > ISSUER_URL_MAX) {
            throw new ValidationException(field, value, "an OIDC provider URL has at most 255 characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ValidationException(field, value, "not a URL: " + e.getReason());
        }
        if (!"https".equals(uri.getScheme())) {
            throw new ValidationException(field, value, "an OIDC issuer URL must use https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ValidationException(field, value, "an OIDC issuer URL needs a host name");
        }
        if (uri.getPort() != -1) {
            throw new ValidationException(field, value, "an OIDC issuer URL for IAM must not name a port");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ValidationException(field, value, "an OIDC issuer URL must not have a query or fragment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ValidationException(field, value, "an OIDC issuer URL must not carry user information");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** 40 hex digits (SHA-1 of the issuer's top certificate). */
    public static String thumbprint(String field, String value) {
        notBlank(field, value);
        if (!THUMBPRINT.matcher(value).matches()) {
            throw new ValidationException(field, value, "a thumbprint is 40 hexadecimal digits");
        }
        return value;
    }

    /** Kubernetes namespace: DNS-1123 label, at most 63. */
    public static String namespace(String field, String value) {
        return dns1123Label(field, value);
    }

    /** Kubernetes service account name: DNS-1123 subdomain, at most 253. */
    public static String serviceAccountName(String field, String value) {
        return dns1123Subdomain(field, value);
    }

    public static String dns1123Label(String field, String value) {
        notBlank(field, value);
        if (value.length() > DNS1123_LABEL_MAX) {
            throw new ValidationException(field, value, "a DNS-1123 label has at most 63 characters (has " + value.length() + ")");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            throw new ValidationException(field, value, "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return value;
    }

    public static String dns1123Subdomain(String field, String value) {
        notBlank(field, value);
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            throw new ValidationException(field, value, "a DNS-1123 subdomain has at most 253 characters (has " + value.length() + ")");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            throw new ValidationException(field, value, "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit");
        }
        return value;
    }

    /** Helm release name: DNS-1123 label of at most 53 characters. */
    public static String helmReleaseName(String field, String value) {
        notBlank(field, value);
        if (value.length() > HELM_RELEASE_MAX) {
            throw new ValidationException(field, value, "a Helm release name has at most 53 characters (has " + value.length() + ")");
        }
        return dns1123Label(field, value);
    }

    /** GitLab project or group path, e.g. {@code group/sub/project}. */
    public static String gitlabPath(String field, String value) {
        notBlank(field, value);
        if (value.startsWith("/") || value.endsWith("/")) {
            throw new ValidationException(field, value, "a GitLab path has no leading or trailing '/'");
        }
        for (String segment : value.split("/", -1)) {
            if (!GITLAB_PATH_SEGMENT.matcher(segment).matches() || segment.endsWith(".git") || segment.endsWith(".atom")) {
                throw new ValidationException(field, value, "each GitLab path segment is letters, digits, '_', '-', '.', not starting with '-' or '.' and not ending in .git/.atom");
            }
        }
        return value;
    }

    /** AWS tags: at most 50; key 1-128, value 0-256; no {@code aws:} prefix. */
    public static Map<String, String> awsTags(String field, Map<String, String> tags) {
        if (tags == null) {
            throw new ValidationException(field, null, "must not be null");
        }
        if (tags.size() > TAGS_MAX) {
            throw new ValidationException(field, tags.size() + " tags", "at most 50 tags per IAM resource");
        }
        tags.forEach((k, v) -> {
            String kf = field + "[" + k + "]";
            if (k == null || k.isEmpty() || k.length() > TAG_KEY_MAX) {
                throw new ValidationException(kf, k, "a tag key has 1-128 characters");
            }
            if (k.regionMatches(true, 0, "aws:", 0, 4)) {
                throw new ValidationException(kf, k, "tag keys starting with 'aws:' are reserved for AWS");
            }
            if (!TAG_CHARS.matcher(k).matches()) {
                throw new ValidationException(kf, k, "a tag key may contain letters, digits, spaces and _ . : / = + - @");
            }
            if (v == null || v.length() > TAG_VALUE_MAX) {
                throw new ValidationException(kf, v, "a tag value has 0-256 characters");
            }
            if (!TAG_CHARS.matcher(v).matches()) {
                throw new ValidationException(kf, v, "a tag value may contain letters, digits, spaces and _ . : / = + - @");
            }
        });
        return tags;
    }

    /**
     * IAM policy documents may contain only tab, LF, CR and U+0020-U+00FF.
     */
    public static String policyCharacters(String field, String json) {
        notBlank(field, json);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF);
            if (!ok) {
                throw new ValidationException(field, json, String.format(
                        "IAM policies may contain only tab, LF, CR and U+0020-U+00FF; found U+%04X at offset %d", (int) c, i));
            }
        }
        return json;
    }

    /** Role max session duration: 3600-43200 seconds. */
    public static int maxSessionDuration(String field, int seconds) {
        if (seconds < MAX_SESSION_DURATION_MIN || seconds > MAX_SESSION_DURATION_MAX) {
            throw new ValidationException(field, seconds, "a role's maximum session duration is 3600-43200 seconds");
        }
        return seconds;
    }

    /** Number of characters IAM counts for size quotas: whitespace is not counted. */
    public static int sizeWithoutWhitespace(String json) {
        int n = 0;
        for (int i = 0; i < json.length(); i++) {
            if (!Character.isWhitespace(json.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
