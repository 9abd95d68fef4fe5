package dev.irsa.testing.aws;

import dev.irsa.Sleeper;
import dev.irsa.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real moto server on loopback ({@code python3 -m moto.server -H 127.0.0.1 -p <free port>}), for
 * proving irsa's SDK wiring against AWS's wire protocols. Started by tests, stopped (process tree
 * destroyed) on {@link #close()}.
 *
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start()) {
 *     AwsExecutor aws = AwsExecutor.create(moto.clients());
 * }
 * }</pre>
 *
 * <p>What moto 5.2.1 cannot serve: pod identity associations, {@code AddClientIDToOpenIDConnectProvider},
 * token validation in {@code AssumeRoleWithWebIdentity} (it accepts any token and ignores trust
 * conditions), case-insensitive role-name uniqueness, name/size limits. Those are covered by the fakes.
 */
public final class MotoServer implements AutoCloseable {
    /** Region the clients use; moto serves every region. */
    public static final String REGION = "us-east-1";
    private static final int READY_ATTEMPTS = 150;
    private static final Duration READY_POLL = Duration.ofMillis(200);

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** True when {@code python3 -c "import moto.server"} succeeds. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder(python(), "-c", "import moto.server, flask").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts moto on a free loopback port and waits (bounded) until it answers. */
    public static MotoServer start() {
        return start(Sleeper.SYSTEM);
    }

    static MotoServer start(Sleeper pollWait) {
        int port = freePort();
        Path log;
        Process process;
        try {
            log = Files.createTempFile("moto-", ".log");
            process = new ProcessBuilder(List.of(python(), "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto (" + python() + " -m moto.server): " + e.getMessage(), e);
        }
        MotoServer server = new MotoServer(process, port, log);
        for (int attempt = 1; attempt <= READY_ATTEMPTS; attempt++) {
            if (!process.isAlive()) {
                server.close();
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before answering; output: " + server.output());
            }
            if (server.answers()) {
                return server;
            }
            pollWait.sleep(READY_POLL);
        }
        String output = server.output();
        server.close();
        throw new IllegalStateException("moto did not answer on 127.0.0.1:" + port + " after " + READY_ATTEMPTS + " attempts; output: " + output);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Clients for IAM, STS and EKS pointed at this server, with moto's dummy credentials. */
    public AwsClients clients() {
        return AwsClients.builder().region(REGION).endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** Forgets every resource (moto's {@code POST /moto-api/reset}). */
    public void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            c.setRequestMethod("POST");
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            int status = c.getResponseCode();
            c.disconnect();
            if (status != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/data.json").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String output() {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** The Python interpreter: system property {@code irsa.moto.python}, default {@code python3}. */
    static String python() {
        return System.getProperty("irsa.moto.python", "python3");
    }
}
