package dev.irsa.validation;

import dev.irsa.ValidationException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kubernetes label syntax and container image references, checked before any call: a pod whose node
 * selector or image breaks these is refused by the API server (or never pulls) long after irsa applied it.
 *
 * <pre>{@code
 * KubernetesValidators.labels("runner.nodeSelector", Map.of("nodepool", "dev"));      // ok
 * KubernetesValidators.imageReference("runner.image", "registry.example.com:5000/ci/tools:1.2"); // ok
 * KubernetesValidators.imageReference("runner.image", "ubuntu\nprivileged = true");  // throws
 * }</pre>
 */
public final class KubernetesValidators {
    private KubernetesValidators() {
    }

    public static final int LABEL_NAME_MAX = 63;
    public static final int LABEL_VALUE_MAX = 63;
    /** distribution/reference's {@code NameTotalLengthMax}; a tag adds at most 129 and a digest about 140 more. */
    public static final int IMAGE_NAME_MAX = 255;
    private static final int IMAGE_REFERENCE_MAX = 600;

    // k8s.io/apimachinery/pkg/util/validation/validation.go: qualifiedNameFmt, labelValueFmt.
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    // github.com/distribution/reference regexp.go (the grammar docker, containerd and the kubelet parse).
    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
    private static final String NAME = "(?:" + HOST + "(?::[0-9]+)?/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    /** A label key: an optional DNS-1123 subdomain prefix (at most 253) and '/', then a name of at most 63. */
    public static String labelKey(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw new ValidationException(field, key, "a label key must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            try {
                Validators.dns1123Subdomain(field, prefix);
            } catch (ValidationException e) {
                throw new ValidationException(field, key, "a label key's prefix (before '/') is a DNS-1123 subdomain of at most 253 "
                        + "characters: lower-case letters, digits, '-' and '.'");
            }
        }
        if (name.isEmpty() || name.length() > LABEL_NAME_MAX || !QUALIFIED_NAME.matcher(name).matches()) {
            throw new ValidationException(field, key, "a label key's name has 1-63 characters: letters, digits, '-', '_' and '.', "
                    + "starting and ending with a letter or digit (an optional prefix goes before one '/')");
        }
        return key;
    }

    /** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
    public static String labelValue(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, null, "a label value must not be null (use \"\" for an empty value)");
        }
        if (value.length() > LABEL_VALUE_MAX || !(value.isEmpty() || QUALIFIED_NAME.matcher(value).matches())) {
            throw new ValidationException(field, value, "a label value is empty or has at most 63 letters, digits, '-', '_' and '.', "
                    + "starting and ending with a letter or digit");
        }
        return value;
    }

    /** Labels or a node selector: every key and value by the rules above; entries are named {@code field[key]}. */
    public static Map<String, String> labels(String field, Map<String, String> labels) {
        if (labels == null) {
            throw new ValidationException(field, null, "must not be null (use an empty map)");
        }
        labels.forEach((key, value) -> {
            labelKey(field, key);
            labelValue(field + "[" + key + "]", value);
        });
        return labels;
    }

    /**
     * A container image reference as docker, containerd and the kubelet parse it: {@code [host[:port]/]path[:tag][@digest]},
     * lower-case path components, no whitespace or control characters.
     */
    public static String imageReference(String field, String image) {
        Validators.notBlank(field, image);
        if (image.length() > IMAGE_REFERENCE_MAX) {
            throw new ValidationException(field, image, "an image reference has at most " + IMAGE_REFERENCE_MAX + " characters");
        }
        var matcher = REFERENCE.matcher(image);
        if (!matcher.matches()) {
            throw new ValidationException(field, image, "an image reference like registry.example.com:5000/group/image:tag or "
                    + "ubuntu:18.04 (lower-case path, no spaces or control characters; optional @sha256:... digest)");
        }
        if (matcher.group(1).length() > IMAGE_NAME_MAX) {
            throw new ValidationException(field, image, "an image name (without tag or digest) has at most " + IMAGE_NAME_MAX + " characters");
        }
        return image;
    }
}
