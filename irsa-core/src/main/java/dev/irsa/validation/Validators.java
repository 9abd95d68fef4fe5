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

    /** IAM's limit on the summed size of a role's inline policies (whitespace not counted). */
    public static final int INLINE_POLICIES_TOTAL_MAX = 10240;
    public static final int ROLE_DESCRIPTION_MAX = 1000;
    public static final int MANAGED_POLICIES_PER_ROLE_MAX = 20;
    private static final Pattern INLINE_POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    /** IAM role description: at most 1000 characters (absent is fine). */
    public static String roleDescription(String field, String value) {
        if (value != null && value.length() > ROLE_DESCRIPTION_MAX) {
            throw new ValidationException(field, value, "a role description has at most 1000 characters");
        }
        return value;
    }

    /** Inline policy name: 1-128 of {@code [\w+=,.@-]}. */
    public static String inlinePolicyName(String field, String value) {
        if (value == null || !INLINE_POLICY_NAME.matcher(value).matches()) {
            throw new ValidationException(field, value, "an inline policy name is 1-128 of letters, digits and + = , . @ _ -");
        }
        return value;
    }

    /**
     * A role's inline policies (name to JSON): valid names, IAM's characters, and at most 10240 characters
     * in total, whitespace not counted.
     */
    public static java.util.Map<String, String> inlinePolicies(String field, java.util.Map<String, String> policies) {
        int total = 0;
        for (java.util.Map.Entry<String, String> e : policies.entrySet()) {
            inlinePolicyName(field, e.getKey());
            policyCharacters(field + "[" + e.getKey() + "]", e.getValue());
            total += sizeWithoutWhitespace(e.getValue());
        }
        if (total > INLINE_POLICIES_TOTAL_MAX) {
            throw new ValidationException(field, total + " characters",
                    "a role's inline policies total at most 10240 characters, whitespace not counted");
        }
        return policies;
    }

    /** Managed policies attached to one role: at most 20 (IAM's raised quota; the default is 10). */
    public static int managedPolicyCount(String field, int count) {
        if (count > MANAGED_POLICIES_PER_ROLE_MAX) {
            throw new ValidationException(field, count, "at most 20 managed policies per role (default quota 10)");
        }
        return count;
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

    // ---- ARNs (owned by the policy model) -------------------------------------------------------

    private static final Pattern ARN = Pattern.compile("arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)", Pattern.DOTALL);
    private static final Pattern ARN_SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern URL_PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern EKS_ISSUER_HOST = Pattern.compile("oidc\\.eks\\.([a-z0-9-]+)\\.(amazonaws\\.com(\\.cn)?|[a-z0-9.-]+)");
    private static final Pattern GIT_REF_FORBIDDEN = Pattern.compile("[\\x00-\\x20\\x7F~^:\\\\\\[]");

    /**
     * Any ARN: {@code arn:<partition>:<service>:<region>:<account>:<resource>} with a known partition,
     * a lower-case service, a region that is empty or looks like one, an account that is empty, 12
     * digits or {@code aws}, and a non-empty resource.
     */
    public static String arn(String field, String value) {
        notBlank(field, value);
        var m = ARN.matcher(value);
        if (!m.matches()) {
            throw new ValidationException(field, value, "an ARN looks like arn:<partition>:<service>:<region>:<account-id>:<resource>");
        }
        if (!PARTITIONS.contains(m.group(1))) {
            throw new ValidationException(field, value, "unknown partition '" + m.group(1) + "'; an AWS partition is one of " + PARTITIONS.stream().sorted().toList());
        }
        if (!ARN_SERVICE.matcher(m.group(2)).matches()) {
            throw new ValidationException(field, value, "the service part of an ARN is lower-case letters, digits and '-'");
        }
        if (!m.group(3).isEmpty() && !REGION.matcher(m.group(3)).matches()) {
            throw new ValidationException(field, value, "the region part of an ARN is empty or looks like eu-west-1");
        }
        String account = m.group(4);
        if (!account.isEmpty() && !"aws".equals(account) && !ACCOUNT_ID.matcher(account).matches()) {
            throw new ValidationException(field, value, "the account part of an ARN is empty, 'aws' or exactly 12 digits");
        }
        if (value.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            throw new ValidationException(field, value, "an ARN contains only printable ASCII without spaces");
        }
        return value;
    }

    /**
     * IAM OIDC provider ARN: {@code arn:<partition>:iam::<account>:oidc-provider/<host>[/<path>]}.
     */
    public static String oidcProviderArn(String field, String value) {
        arn(field, value);
        String[] p = value.split(":", 6);
        if (!"iam".equals(p[2]) || !p[3].isEmpty() || !ACCOUNT_ID.matcher(p[4]).matches() || !p[5].startsWith("oidc-provider/")) {
            throw new ValidationException(field, value, "an IAM OIDC provider ARN looks like arn:aws:iam::111122223333:oidc-provider/<host>[/<path>] (service iam, no region, 12-digit account)");
        }
        hostPath(field, value, p[5].substring("oidc-provider/".length()));
        return value;
    }

    /**
     * IAM role ARN: {@code arn:<partition>:iam::<account>:role[/<path>/]<name>}; path and name are
     * checked with {@link #rolePath} and {@link #roleName}.
     */
    public static String roleArn(String field, String value) {
        arn(field, value);
        String[] p = value.split(":", 6);
        if (!"iam".equals(p[2]) || !p[3].isEmpty() || !ACCOUNT_ID.matcher(p[4]).matches() || !p[5].startsWith("role/")) {
            throw new ValidationException(field, value, "an IAM role ARN looks like arn:aws:iam::111122223333:role[/path/]name (service iam, no region, 12-digit account)");
        }
        String rest = p[5].substring("role".length());
        int lastSlash = rest.lastIndexOf('/');
        String path = rest.substring(0, lastSlash + 1);
        String name = rest.substring(lastSlash + 1);
        try {
            rolePath(field, path);
            roleName(field, name);
        } catch (ValidationException e) {
            throw new ValidationException(field, value, "in the role ARN's path/name: " + e.rule());
        }
        return value;
    }

    /**
     * IAM managed policy ARN: {@code arn:<partition>:iam::<account|aws>:policy[/<path>/]<name>}.
     */
    public static String policyArn(String field, String value) {
        arn(field, value);
        String[] p = value.split(":", 6);
        boolean account = "aws".equals(p[4]) || ACCOUNT_ID.matcher(p[4]).matches();
        if (!"iam".equals(p[2]) || !p[3].isEmpty() || !account || !p[5].startsWith("policy/")) {
            throw new ValidationException(field, value, "an IAM policy ARN looks like arn:aws:iam::111122223333:policy[/path/]name or arn:aws:iam::aws:policy/<name>");
        }
        String rest = p[5].substring("policy".length());
        int lastSlash = rest.lastIndexOf('/');
        String path = rest.substring(0, lastSlash + 1);
        String name = rest.substring(lastSlash + 1);
        if (!POLICY_NAME.matcher(name).matches()) {
            throw new ValidationException(field, value, "a policy name is 1-128 letters, digits and + = , . @ _ -");
        }
        try {
            rolePath(field, path);
        } catch (ValidationException e) {
            throw new ValidationException(field, value, "in the policy ARN's path: " + e.rule());
        }
        return value;
    }

    /** EKS cluster ARN: {@code arn:<partition>:eks:<region>:<account>:cluster/<name>}. */
    public static String eksClusterArn(String field, String value) {
        arn(field, value);
        String[] p = value.split(":", 6);
        if (!"eks".equals(p[2]) || p[3].isEmpty() || !ACCOUNT_ID.matcher(p[4]).matches() || !p[5].startsWith("cluster/")) {
            throw new ValidationException(field, value, "an EKS cluster ARN looks like arn:aws:eks:eu-west-1:111122223333:cluster/<name>");
        }
        try {
            eksClusterName(field, p[5].substring("cluster/".length()));
        } catch (ValidationException e) {
            throw new ValidationException(field, value, "in the cluster ARN's name: " + e.rule());
        }
        return value;
    }

    /**
     * An ARN that must live in the given partition and account (e.g. a role ARN for the stack's
     * account). {@code accountId} may be {@code null} to check the partition only.
     */
    public static String arnInScope(String field, String value, String partition, String accountId) {
        arn(field, value);
        String[] p = value.split(":", 6);
        if (!p[1].equals(partition)) {
            throw new ValidationException(field, value, "the ARN is in partition '" + p[1] + "' but must be in '" + partition + "'");
        }
        if (accountId != null && !p[4].equals(accountId)) {
            throw new ValidationException(field, value, "the ARN belongs to account '" + p[4] + "' but must belong to " + accountId);
        }
        return value;
    }

    /**
     * The partition an EKS issuer host belongs to, or {@code null} for a non-EKS issuer (GitLab, ...).
     * {@code oidc.eks.cn-north-1.amazonaws.com.cn} is {@code aws-cn}, {@code us-gov-*} regions are
     * {@code aws-us-gov}, other {@code amazonaws.com} regions are {@code aws}.
     */
    public static String eksIssuerPartition(String host) {
        var m = EKS_ISSUER_HOST.matcher(host);
        if (!m.matches()) {
            return null;
        }
        if (m.group(2).equals("amazonaws.com.cn")) {
            return "aws-cn";
        }
        if (m.group(2).equals("amazonaws.com")) {
            return m.group(1).startsWith("us-gov-") ? "aws-us-gov" : "aws";
        }
        return null;
    }

    /**
     * {@code host[/path]} of an OIDC provider as it appears in provider ARNs and condition keys
     * (the issuer URL without {@code https://}).
     */
    public static String hostPath(String field, String original, String hostPath) {
        if (hostPath == null || hostPath.isBlank()) {
            throw new ValidationException(field, original, "the OIDC provider host must not be empty");
        }
        int slash = hostPath.indexOf('/');
        String host = slash < 0 ? hostPath : hostPath.substring(0, slash);
        String path = slash < 0 ? "" : hostPath.substring(slash);
        if (!HOST_NAME.matcher(host).matches()) {
            throw new ValidationException(field, original, "'" + host + "' is not a host name (letters, digits, '-' and '.'; no port, no user info)");
        }
        if (!URL_PATH.matcher(path).matches()) {
            throw new ValidationException(field, original, "the provider path '" + path + "' must be /-separated non-empty URL path segments, no query, no trailing '/'");
        }
        return hostPath;
    }

    /**
     * A git branch or tag name as GitLab puts it in the {@code ref} claim (check-ref-format rules:
     * no spaces, control characters or any of {@code ~ ^ : ? * [ \}, no {@code ..} or {@code @{}, no
     * leading {@code -} or {@code /}, no trailing {@code /}, {@code .} or {@code .lock}).
     * With {@code pattern}, {@code *} and {@code ?} are allowed as IAM StringLike wildcards.
     */
    public static String gitRef(String field, String value, boolean pattern) {
        notBlank(field, value);
        if (value.length() > 255) {
            throw new ValidationException(field, value, "a git ref name has at most 255 characters here");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                throw new ValidationException(field, value, String.format(
                        "IAM policies may contain only U+0020-U+00FF; found U+%04X at offset %d", (int) value.charAt(i), i));
            }
        }
        String check = pattern ? value.replace('*', 'x').replace('?', 'x') : value;
        if (GIT_REF_FORBIDDEN.matcher(check).find() || (!pattern && (value.contains("*") || value.contains("?")))) {
            throw new ValidationException(field, value, pattern
                    ? "a git ref pattern may not contain spaces, control characters or ~ ^ : [ \\ (only * and ? as wildcards)"
                    : "a git ref name may not contain spaces, control characters or ~ ^ : ? * [ \\ (use the pattern API for wildcards)");
        }
        if (value.contains("..") || value.contains("@{") || value.contains("//") || value.startsWith("-") || value.startsWith("/")
                || value.endsWith("/") || value.endsWith(".") || value.endsWith(".lock") || value.equals("@")) {
            throw new ValidationException(field, value, "a git ref name has no '..', '@{' or '//', does not start with '-' or '/', and does not end with '/', '.' or '.lock'");
        }
        return value;
    }

    /**
     * A pattern segment for a Kubernetes name in an IAM StringLike value: DNS-1123 characters plus the
     * wildcards {@code *} and {@code ?}.
     */
    public static String kubernetesNamePattern(String field, String value, int maxLength) {
        notBlank(field, value);
        if (value.length() > maxLength) {
            throw new ValidationException(field, value, "at most " + maxLength + " characters");
        }
        if (!value.matches("[a-z0-9.*?-]+")) {
            throw new ValidationException(field, value, "a name pattern is lower-case letters, digits, '-', '.' and the wildcards * and ?");
        }
        return value;
    }

    public static final int OIDC_CLIENT_IDS_MAX = 100;
    public static final int OIDC_THUMBPRINTS_MAX = 5;

    /** OIDC provider client ids (audiences): 1-100 of them, each 1-255 characters, no duplicates. */
    public static java.util.List<String> oidcClientIds(String field, java.util.List<String> clientIds) {
        if (clientIds == null || clientIds.isEmpty()) {
            throw new ValidationException(field, clientIds == null ? null : "[]", "an OIDC provider needs at least one client id (audience), e.g. sts.amazonaws.com");
        }
        if (clientIds.size() > OIDC_CLIENT_IDS_MAX) {
            throw new ValidationException(field, clientIds.size() + " client ids", "an OIDC provider has at most 100 client ids");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String id : clientIds) {
            if (id == null || id.isEmpty() || id.length() > 255) {
                throw new ValidationException(field, id, "a client id has 1-255 characters");
            }
            if (!seen.add(id)) {
                throw new ValidationException(field, id, "client ids must be unique");
            }
        }
        return clientIds;
    }

    /** OIDC provider thumbprints: at most 5, each 40 hex digits. */
    public static java.util.List<String> thumbprints(String field, java.util.List<String> thumbprints) {
        if (thumbprints == null) {
            throw new ValidationException(field, null, "must not be null (use an empty list)");
        }
        if (thumbprints.size() > OIDC_THUMBPRINTS_MAX) {
            throw new ValidationException(field, thumbprints.size() + " thumbprints", "an OIDC provider has at most 5 thumbprints");
        }
        thumbprints.forEach(t -> thumbprint(field, t));
        return thumbprints;
    }
}
