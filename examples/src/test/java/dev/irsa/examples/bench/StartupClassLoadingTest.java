package dev.irsa.examples.bench;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code irsa render trust-policy} must not load (let alone initialise) AWS SDK clients, fabric8, GitLab4J or
 * helm-java: the CLI runs in a fresh class loader over the test class path that records every class it is
 * asked for, the JDK's aside.
 */
class StartupClassLoadingTest {

    static final class RecordingClassLoader extends URLClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingClassLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }

    private static URL[] testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(entry, e);
                }
            }
        }
        return urls.toArray(URL[]::new);
    }

    @Test
    void renderTrustPolicyLoadsNoRemoteClientClasses() throws Exception {
        try (RecordingClassLoader loader = new RecordingClassLoader(testClassPath())) {
            Class<?> cli = Class.forName("dev.irsa.examples.cli.IrsaCli", true, loader);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = (int) cli.getMethod("execute", PrintWriter.class, PrintWriter.class, String[].class)
                    .invoke(null, new PrintWriter(out, true), new PrintWriter(err, true), Startup.renderArgs().toArray(String[]::new));

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("sts:AssumeRoleWithWebIdentity", "system:serviceaccount:dev:app-deployer");
            // The recorder sees the render path: picocli and the policy model were loaded through it.
            assertThat(loader.requested).contains("picocli.CommandLine", "dev.irsa.policy.TrustPolicy");
            List<String> clientClasses = loader.requested.stream().filter(Startup::isClientClass).sorted().toList();
            assertThat(clientClasses).isEmpty();
        }
    }

    @Test
    void clientPackagesAreRecognised() {
        assertThat(Arrays.asList("software.amazon.awssdk.services.iam.IamClient", "io.fabric8.kubernetes.client.KubernetesClient",
                "org.gitlab4j.api.GitLabApi", "com.marcnuri.helm.Helm"))
                .allMatch(Startup::isClientClass);
        assertThat(Startup.isClientClass("software.amazon.awssdk.policybuilder.iam.IamPolicy")).isFalse();
    }
}
