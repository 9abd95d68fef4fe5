package dev.irsa.examples.bench;

import dev.irsa.examples.WalkthroughArtifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cold-JVM cost of {@code irsa render trust-policy ...}: a new {@code java -jar irsa.jar} process per run,
 * wall time from start to exit (median of the runs, after one discarded run that warms the disk cache),
 * and one run with {@code -Xlog:class+load} counting the classes loaded and those from the remote-client
 * libraries, which rendering must not touch.
 */
public final class Startup {
    /** Package prefixes of the clients rendering must not load: AWS SDK service clients and HTTP, fabric8, GitLab4J, helm-java. */
    public static final List<String> CLIENT_PACKAGES = List.of(
            "software.amazon.awssdk.services.", "software.amazon.awssdk.http.", "software.amazon.awssdk.core.client.",
            "io.fabric8.", "org.gitlab4j.", "com.marcnuri.helm.");

    public record Result(int runs, Duration median, Duration min, Duration max, int classesLoaded, List<String> clientClasses) {
    }

    private Startup() {
    }

    /** The render command the benchmark times (the walkthrough's binding). */
    public static List<String> renderArgs() {
        return List.of("render", "trust-policy", "--issuer", WalkthroughArtifacts.ISSUER, "--account", WalkthroughArtifacts.ACCOUNT,
                "--namespace", WalkthroughArtifacts.NAMESPACE, "--service-account", WalkthroughArtifacts.SERVICE_ACCOUNT);
    }

    public static Result measure(Path jar, int runs) {
        List<Duration> times = new ArrayList<>();
        run(jar, List.of()); // warm the page cache; not counted
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run(jar, List.of());
            times.add(Duration.ofNanos(System.nanoTime() - start));
        }
        String log = run(jar, List.of("-Xlog:class+load=info"));
        List<String> loaded = log.lines().filter(l -> l.contains("[class,load]")).map(Startup::className).toList();
        List<String> clients = loaded.stream().filter(Startup::isClientClass).toList();
        List<Duration> sorted = times.stream().sorted().toList();
        return new Result(runs, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), loaded.size(), clients);
    }

    /**
     * Cold wall time of the JShell walkthrough ({@code jshell --class-path irsa.jar walkthrough.jsh}, which ends
     * with {@code /exit}): JShell start-up, rendering, and the seed stack applied, verified and destroyed on
     * the sandbox. Median of {@code runs}; the script must print {@code walkthrough: OK}.
     */
    public static Duration measureJShell(Path jar, Path script, int runs) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                    "--class-path", jar.toString(), script.toString());
            long start = System.nanoTime();
            String out = exec(command, "jshell " + script.getFileName());
            times.add(Duration.ofNanos(System.nanoTime() - start));
            if (!out.contains("walkthrough: OK")) {
                throw new IllegalStateException("the JShell walkthrough did not print 'walkthrough: OK': "
                        + out.strip().lines().reduce((a, b) -> b).orElse(""));
            }
        }
        return times.stream().sorted().toList().get(times.size() / 2);
    }

    static boolean isClientClass(String className) {
        return CLIENT_PACKAGES.stream().anyMatch(className::startsWith);
    }

    /** "[0.012s][info][class,load] java.lang.Object source: shared objects file" -> "java.lang.Object". */
    private static String className(String line) {
        String rest = line.substring(line.indexOf("[class,load]") + "[class,load]".length()).strip();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    private static String run(Path jar, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(renderArgs());
        String out = exec(command, "irsa render");
        if (!out.contains("sts:AssumeRoleWithWebIdentity")) {
            throw new IllegalStateException("irsa render printed no trust policy: " + out.strip());
        }
        return out;
    }

    /** Runs {@code command} with stdin closed (bounded: 5 minutes); returns stdout+stderr; fails on a non-zero exit. */
    private static String exec(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in 300 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed (" + p.exitValue() + "): " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
