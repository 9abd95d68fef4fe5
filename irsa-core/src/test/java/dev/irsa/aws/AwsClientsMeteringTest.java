package dev.irsa.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.FakeClock;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Planner;
import dev.irsa.plan.RateLimit;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Real SDK clients against an IAM endpoint on 127.0.0.1 that stamps every request it receives with the
 * budget's fake clock: {@link AwsClients.Builder#budget} limits requests (each attempt), not operations.
 */
class AwsClientsMeteringTest {
    private static final String GET_ROLE = """
            <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <GetRoleResult><Role><Path>/</Path><RoleName>ci</RoleName><RoleId>AROAEXAMPLE</RoleId>
                <Arn>arn:aws:iam::123456789012:role/ci</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>
                <AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role></GetRoleResult>
              <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
            </GetRoleResponse>""";
    private static final String SERVICE_FAILURE = """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>try again</Message></Error>
              <RequestId>r-2</RequestId>
            </ErrorResponse>""";

    private final FakeClock clock = new FakeClock();
    private final List<Instant> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startIam() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(clock.instant());
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            byte[] body = (fail ? SERVICE_FAILURE : GET_ROLE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopIam() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private ExecutionBudget budget(RateLimit iamLimit) {
        return ExecutionBudget.create(b -> b.clock(clock).sleeper(clock.sleeper()).rateLimit(Services.IAM, iamLimit));
    }

    private AwsClients.Builder clients() {
        return AwsClients.builder().region("us-east-1").endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    @Test
    void fiveRequestsOfOneResourceOperationAreSpacedByTheBudget() {
        ExecutionBudget budget = budget(RateLimit.perSecond(2));
        AwsClients clients = clients().budget(budget).build();
        assertThat(budget.meteredServices()).as("nothing metered before a client exists").isEmpty();
        IamClient iam = clients.iam();
        assertThat(budget.meteredServices()).containsExactly(Services.IAM);
        Resource role = new FiveRequestRole(iam);
        Instant start = clock.instant();

        ApplyResult result = Applier.create(a -> a.budget(budget))
                .apply(Planner.create(p -> p.budget(budget)).plan("ci", List.of(role)));

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        // A full bucket of 2, then one request every 500 ms; the engine took no token of its own.
        assertThat(received).containsExactly(start, start, start.plusMillis(500), start.plusMillis(1000),
                start.plusMillis(1500));
        iam.close();
    }

    @Test
    void aWriteLimitLetsGetRequestsThroughAndSpacesCreates() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.clock(clock).sleeper(clock.sleeper())
                .writeRateLimit(Services.IAM, RateLimit.perSecond(1)));
        IamClient iam = clients().budget(budget).build().iam();
        Instant start = clock.instant();

        for (int i = 0; i < 5; i++) {
            iam.getRole(r -> r.roleName("ci"));   // the operation name comes from the SDK: GetRole is a read
        }
        assertThat(received).hasSize(5).allMatch(start::equals);
        received.clear();
        for (int i = 0; i < 3; i++) {
            try {
                iam.createRole(r -> r.roleName("ci").assumeRolePolicyDocument("{}"));
            } catch (RuntimeException parsedAsGetRole) {
                // the test server answers every request with GetRole's body; only the timing matters here
            }
        }
        assertThat(received).containsExactly(start, start.plusSeconds(1), start.plusSeconds(2));
        assertThat(AwsClients.changes("ListAttachedRolePolicies")).isFalse();
        assertThat(AwsClients.changes("DescribeCluster")).isFalse();
        assertThat(AwsClients.changes("PutRolePolicy")).isTrue();
        assertThat(AwsClients.changes(null)).isTrue();
        iam.close();
    }

    @Test
    void everySdkRetryTakesAToken() {
        ExecutionBudget budget = budget(RateLimit.perSecond(1));
        failuresLeft.set(2);
        try (IamClient iam = IamClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(AwsClients.metering(budget.meterRequests(Services.IAM)))
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .backoffStrategy(BackoffStrategy.retryImmediately())
                                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build()))
                .build()) {
            Instant start = clock.instant();

            assertThat(iam.getRole(r -> r.roleName("ci")).role().roleName()).isEqualTo("ci");

            // Two 500s retried by the SDK, then success: three attempts, one token each, at 1/s.
            assertThat(received).containsExactly(start, start.plusSeconds(1), start.plusSeconds(2));
        }
    }

    @Test
    void withoutABudgetNothingIsMeteredOrWaitedFor() {
        ExecutionBudget budget = budget(RateLimit.perSecond(1));
        AwsClients clients = clients().build();
        try (IamClient iam = clients.iam()) {
            for (int i = 0; i < 3; i++) {
                iam.getRole(r -> r.roleName("ci"));
            }
        }
        assertThat(clients.budget()).isEmpty();
        assertThat(budget.meteredServices()).isEmpty();
        assertThat(received).hasSize(3).allMatch(clock.instant()::equals);
    }

    @Test
    void budgetedClientsMeterEachServiceUnderItsOwnName() {
        ExecutionBudget budget = budget(RateLimit.perSecond(1));
        AwsClients clients = clients().budget(budget).build();
        clients.sts().close();
        clients.eks().close();

        assertThat(clients.budget()).containsSame(budget);
        assertThat(budget.meteredServices()).containsExactlyInAnyOrder(Services.STS, Services.EKS);
    }

    /** An IAM resource whose apply makes five IAM requests (like CreateRole, PutRolePolicy, TagRole...). */
    private static final class FiveRequestRole implements Resource {
        private final IamClient iam;

        FiveRequestRole(IamClient iam) {
            this.iam = iam;
        }

        @Override
        public ResourceId id() {
            return ResourceId.of("aws.iam.role", "ci");
        }

        @Override
        public String service() {
            return Services.IAM;
        }

        @Override
        public Observed observe() {
            return Observed.absent();
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(Map.of("name", "ci"));
        }

        @Override
        public Outputs apply(ApplyContext context) {
            for (int i = 0; i < 5; i++) {
                iam.getRole(r -> r.roleName("ci"));
            }
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            throw new UnsupportedOperationException("not deleted in this test");
        }
    }
}
