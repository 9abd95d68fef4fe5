package dev.irsa.gitlab.stack.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a new runner token restart the runner manager. The chart reads the token from {@code runners.secret}, and its
 * {@code checksum/secrets} pod annotation hashes {@code secrets.yaml}, which renders nothing for such a Secret
 * (templates/deployment.yaml and secrets.yaml of chart 0.86.0): upgrading the release with the same values renders
 * the same Deployment, and the pod keeps the old token. So irsa stamps the pod template through the chart's
 * {@code podAnnotations} with {@value #ANNOTATION}{@code : "<runner id>-<token generation>"}: a new stamp is a new
 * pod template, and Kubernetes rolls the Deployment.
 *
 * <p>The stamp says which token the pods should hold without saying anything about it: the runner's id is public
 * to anyone who may read the runner, the generation counts the tokens irsa wrote into the Secret as the release saw
 * them (it grows whenever the Secret gets a new token or the runner is another one). It is neither the token nor a
 * hash of it, which anyone reading the Deployment could test guesses against.
 */
final class TokenRollout {
    /** The pod annotation carrying the stamp. */
    static final String ANNOTATION = "irsa.dev/runner-token-generation";
    /** Its plan field, as {@link ReleaseValues#flatten} names it. */
    static final String FIELD = ReleaseValues.PREFIX + "podAnnotations." + ANNOTATION;
    private static final Pattern STAMP = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    /** The token a release's pods run with: the runner's id and the generation of its token. */
    record Stamp(long runnerId, long generation) {
        @Override
        public String toString() {
            return runnerId + "-" + generation;
        }

        /**
         * The stamp after this apply: the same when the Secret keeps the token of the same runner, the next
         * generation when it gets a new token or holds another runner's. Without a stamp (first install, or a
         * release irsa never stamped) it is generation 1.
         */
        static Stamp next(Optional<Stamp> live, long runnerId, boolean newToken) {
            if (live.isEmpty()) {
                return new Stamp(runnerId, 1);
            }
            if (newToken || live.get().runnerId() != runnerId) {
                return new Stamp(runnerId, live.get().generation() + 1);
            }
            return live.get();
        }
    }

    private TokenRollout() {
    }

    /** The stamp in a release's user-supplied values, if it carries a well-formed one. */
    static Optional<Stamp> read(Map<String, Object> values) {
        if (!(values.get("podAnnotations") instanceof Map<?, ?> annotations) || !(annotations.get(ANNOTATION) instanceof String s)) {
            return Optional.empty();
        }
        Matcher m = STAMP.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stamp(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A copy of the rendered values with the stamp among {@code podAnnotations} (other pod annotations kept). */
    static ObjectNode stamped(ObjectNode values, Stamp stamp) {
        ObjectNode copy = values.deepCopy();
        copy.withObject("/podAnnotations").put(ANNOTATION, stamp.toString());
        return copy;
    }
}
