package dev.irsa;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * fabric8's default kubeconfig lookup, done ahead of fabric8 so that "nothing found" is an error naming where
 * it looked instead of a client silently pointed at {@code https://kubernetes.default.svc}. The rules are
 * fabric8 8.0's {@code Config.autoConfigure}: the files of the system property {@code kubeconfig}, else of
 * {@code $KUBECONFIG} (split on the path separator), else {@code $HOME/.kube/config}; a file counts when it
 * is a non-empty regular file. Without one: in-cluster when {@code KUBERNETES_SERVICE_HOST} is set
 * ({@code tryServiceAccount}), or a server given by {@code kubernetes.master} / {@code KUBERNETES_MASTER}.
 */
final class KubeconfigLookup {
    /** What the lookup found: the kubeconfig files fabric8 will merge (empty in-cluster or with a given master). */
    record Found(List<Path> files) {
    }

    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> properties;

    KubeconfigLookup(UnaryOperator<String> environment, UnaryOperator<String> properties) {
        this.environment = environment;
        this.properties = properties;
    }

    static KubeconfigLookup system() {
        return new KubeconfigLookup(System::getenv, System::getProperty);
    }

    Found find() {
        List<String> lookedAt = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        // as fabric8's Utils.getSystemPropertyOrEnvVar: set means non-null, even when blank
        String property = properties.apply("kubeconfig");
        String variable = environment.apply("KUBECONFIG");
        String spec;
        if (property != null) {
            spec = property;
            lookedAt.add("system property kubeconfig = " + property);
        } else if (variable != null) {
            spec = variable;
            lookedAt.add("$KUBECONFIG = " + variable);
        } else {
            spec = home().resolve(".kube").resolve("config").toString();
            lookedAt.add("$KUBECONFIG is unset, so the home directory's " + spec);
        }
        for (String entry : spec.split(File.pathSeparator)) {
            Path file = Path.of(entry);
            if (isUsable(file)) {
                files.add(file);
            } else {
                lookedAt.add(file + " is not a readable, non-empty file");
            }
        }
        if (!files.isEmpty()) {
            return new Found(List.copyOf(files));
        }
        if (blankToNull(environment.apply("KUBERNETES_SERVICE_HOST")) != null) {
            return new Found(List.of());   // in-cluster: fabric8 uses the pod's service account
        }
        lookedAt.add("in-cluster: $KUBERNETES_SERVICE_HOST is unset (not running in a pod)");
        if (blankToNull(properties.apply("kubernetes.master")) != null || blankToNull(environment.apply("KUBERNETES_MASTER")) != null) {
            return new Found(List.of());   // a server given explicitly
        }
        lookedAt.add("$KUBERNETES_MASTER is unset");
        throw new EndpointSetupException("kubernetes.kubeconfig", "no kubeconfig found", lookedAt,
                "Pass a kubeconfig file (kubeconfig(Path), --kubeconfig), set KUBECONFIG, or write ~/.kube/config "
                        + "(e.g. aws eks update-kubeconfig --name <cluster>)");
    }

    /** fabric8's home: {@code $HOME} when it is a directory, else the JVM's {@code user.home}. */
    private Path home() {
        String home = blankToNull(environment.apply("HOME"));
        if (home != null && Files.isDirectory(Path.of(home))) {
            return Path.of(home);
        }
        String userHome = properties.apply("user.home");
        return Path.of(userHome == null ? "." : userHome);
    }

    static boolean isUsable(Path file) {
        try {
            return Files.isRegularFile(file) && Files.isReadable(file) && Files.size(file) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
