package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.irsa.aws.AwsClients;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.Irsa;
import dev.irsa.plan.ApplyListener;
import dev.irsa.testing.LogCapture;
import dev.irsa.testing.aws.MotoServer;
import dev.irsa.testing.aws.MotoServerExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The AWS SDK's wire logs, with every logger raised (logback root at TRACE, java.util.logging root at ALL), over
 * the real SDK and HTTP client irsa builds ({@link AwsClients}: url-connection-client) against moto on loopback:
 * an IAM apply, plan and destroy of the walkthrough binding signed with session credentials (as from SSO or an
 * assumed role), and an {@code AssumeRoleWithWebIdentity} (a service-account token in, STS credentials out).
 *
 * <p>irsa cannot keep the caller's session token out of two third-party loggers: the SDK's SigV4 signer prints
 * the canonical request, {@code x-amz-security-token} among its headers, at DEBUG (AWS SDK 2.57
 * {@code DefaultV4RequestSigner}: "AWS4 Canonical Request: ..."), and the JDK's HttpURLConnection, under
 * url-connection-client, prints every request header at FINE. This test pins that exactly these two loggers, and
 * no other, print a secret, so the README's list of loggers to keep low is the whole list; a change in the SDK
 * or the JDK fails it. The web-identity token and the STS credentials appear in no logger at any level.
 */
@ExtendWith(MotoServerExtension.class)
class AwsWireLogOnMotoTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final String ACCESS_KEY_ID = "ASIAWIRELOGTEST00001";
    static final String SECRET_ACCESS_KEY = "wIrElOgSecretAccessKeyValue/0123456789abc";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjWireLoggedCallerSessionToken0123456789";
    static final String WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGV2OmFwcC1kZXBsb3llciJ9.c2lnbmF0dXJl";

    /** The loggers that print the caller's session token, and at which level (README: keep them below it). */
    static final Map<String, String> PRINTING_THE_SESSION_TOKEN = Map.of(
            "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner", "DEBUG",
            "sun.net.www.protocol.http.HttpURLConnection", "FINE");

    @Test
    void onlyTheSignerAndHttpUrlConnectionPrintTheCallersSessionTokenAndNothingPrintsOtherSecrets(MotoServer moto) {
        moto.reset();
        List<String> lines;
        Credentials issued;
        try (LogCapture logs = LogCapture.start(Level.TRACE)) {
            AwsClients clients = AwsClients.builder().region(MotoServer.REGION).endpointOverride(moto.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN)))
                    .build();
            String account = clients.sts().getCallerIdentity().account();
            RoleBinding binding = Sandbox.walkthrough().toBuilder()
                    .cluster(ClusterRef.eks(Sandbox.CLUSTER, Sandbox.REGION, ISSUER, account, "aws")).build();
            Irsa irsa = Irsa.builder().aws(AwsExecutor.create(clients)).build();
            irsa.applyIam(binding, ApplyListener.NONE).orThrow();
            assertThat(irsa.planIam(binding).hasChanges()).isFalse();
            issued = clients.sts().assumeRoleWithWebIdentity(r -> r.roleArn("arn:aws:iam::" + account + ":role/eks-cluster-role")
                    .roleSessionName("wire-log").webIdentityToken(WEB_IDENTITY_TOKEN)).credentials();
            irsa.destroyIam(binding, ApplyListener.NONE).orThrow();
            lines = logs.lines();
        }
        assertThat(lines).as("the SDK's request logger was on").anySatisfy(l -> assertThat(l).startsWith("software.amazon.awssdk.request"));

        Map<String, Set<String>> printedBy = new TreeMap<>();
        Map<String, String> secrets = Map.of("caller session token", SESSION_TOKEN, "caller secret key", SECRET_ACCESS_KEY,
                "web identity token", WEB_IDENTITY_TOKEN, "issued secret key", issued.secretAccessKey(),
                "issued session token", issued.sessionToken());
        secrets.forEach((what, secret) -> printedBy.put(what, LogCapture.loggersPrinting(lines, Set.of(secret))));
        System.out.printf("[reliability] AWS wire logs: %d log lines checked against %d secrets; %s%n", lines.size(), secrets.size(), printedBy);

        assertThat(printedBy.get("caller session token")).as("loggers printing the caller's session token")
                .isEqualTo(PRINTING_THE_SESSION_TOKEN.keySet());
        printedBy.remove("caller session token");
        assertThat(printedBy).as("loggers printing the other secrets").allSatisfy((what, loggers) -> assertThat(loggers).as(what).isEmpty());
    }
}
