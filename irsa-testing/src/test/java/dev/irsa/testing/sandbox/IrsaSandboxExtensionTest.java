package dev.irsa.testing.sandbox;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.testing.IrsaInject;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.IrsaSandboxTest;
import dev.irsa.testing.IrsaSandboxTest.Lifecycle;
import dev.irsa.testing.SandboxFaults;
import dev.irsa.testing.aws.ManualClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.gitlab4j.api.GitLabApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs fixture classes through the JUnit Platform launcher to check what {@link IrsaSandboxTest} does around
 * them: one sandbox per class (shared with {@code @Nested}) or per method, injection everywhere, clean state,
 * and closing (ports freed) when the class or method is done.
 */
class IrsaSandboxExtensionTest {
    static final String ROLE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private static TestExecutionSummary run(Class<?> fixture) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary();
    }

    private static void assertAllPassed(TestExecutionSummary summary, int tests) {
        assertThat(summary.getFailures()).as("failures").extracting(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(tests);
    }

    @Test
    void perClassSandboxIsSharedInjectedEverywhereAndClosedAfterTheClass() {
        PerClass.seen.clear();
        assertAllPassed(run(PerClass.class), 3);

        assertThat(PerClass.seen).hasSize(3);
        assertThat(PerClass.seen).allSatisfy(s -> assertThat(s).isSameAs(PerClass.seen.get(0)));
        assertThat(Ports.listening(PerClass.seen.get(0).gitlabUrl())).isFalse();
    }

    @Test
    void cleanStateResetsTheSharedSandboxBeforeEachTest() {
        CleanState.seen.clear();
        assertAllPassed(run(CleanState.class), 2);
        assertThat(CleanState.seen.get(1)).isSameAs(CleanState.seen.get(0));
    }

    @Test
    void perMethodSandboxIsNewForEachTestAndClosedAfterIt() {
        PerMethod.seen.clear();
        assertAllPassed(run(PerMethod.class), 2);

        assertThat(PerMethod.seen).hasSize(2);
        assertThat(PerMethod.seen.get(1)).isNotSameAs(PerMethod.seen.get(0));
        assertThat(PerMethod.seen).allSatisfy(s -> assertThat(Ports.listening(s.gitlabUrl())).isFalse());
    }

    @Test
    void misuseIsReportedAsAConfigurationError() {
        TestExecutionSummary badField = run(BadField.class);
        assertThat(badField.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
                .hasMessageContaining("notInjectable"));

        TestExecutionSummary beforeAll = run(PerMethodInBeforeAll.class);
        assertThat(beforeAll.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(org.junit.jupiter.api.extension.ParameterResolutionException.class));
    }

    // ---- fixtures (nested, so the build does not run them on their own)

    @IrsaSandboxTest(region = "us-west-2", gitlabProject = "team/tool")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {
        static final List<IrsaSandbox> seen = new CopyOnWriteArrayList<>();
        @IrsaInject
        static IrsaSandbox shared;
        @IrsaInject
        IamClient iam;
        @IrsaInject
        KubernetesClient kubernetes;
        @IrsaInject
        GitLabApi gitlab;
        private final IrsaSandbox fromConstructor;

        PerClass(IrsaSandbox sandbox) {
            this.fromConstructor = sandbox;
        }

        @Test
        @Order(1)
        void everythingComesFromOneSandbox(IrsaSandbox sandbox, AwsExecutor aws, KubernetesExecutor k8s, StsClient sts, EksClient eks,
                                           ManualClock clock, SandboxFaults faults) {
            assertThat(sandbox).isSameAs(fromConstructor).isSameAs(shared);
            assertThat(iam).isSameAs(sandbox.iam());
            assertThat(sts).isSameAs(sandbox.sts());
            assertThat(eks).isSameAs(sandbox.eks());
            assertThat(kubernetes).isSameAs(sandbox.kubernetesClient());
            assertThat(gitlab).isSameAs(sandbox.gitLabApi());
            assertThat(aws).isSameAs(sandbox.awsExecutor());
            assertThat(k8s).isSameAs(sandbox.kubernetesExecutor());
            assertThat(clock).isSameAs(sandbox.clock());
            assertThat(faults).isSameAs(sandbox.faults());
            assertThat(sandbox.region()).isEqualTo("us-west-2");
            assertThat(sandbox.gitlabProject()).isEqualTo("team/tool");
            iam.createRole(r -> r.roleName("kept").assumeRolePolicyDocument(ROLE_TRUST));
            seen.add(sandbox);
        }

        @Test
        @Order(2)
        void stateCarriesOverWithoutCleanState(IrsaSandbox sandbox) {
            assertThat(sandbox.resources().role("kept")).isPresent();
            seen.add(sandbox);
        }

        @Nested
        class Inner {
            @Test
            void nestedClassesShareTheSandbox(IrsaSandbox sandbox) {
                assertThat(sandbox).isSameAs(shared);
                seen.add(sandbox);
            }
        }
    }

    @IrsaSandboxTest(cleanState = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class CleanState {
        static final List<IrsaSandbox> seen = new CopyOnWriteArrayList<>();

        @Test
        @Order(1)
        void creates(IrsaSandbox sandbox) {
            sandbox.iam().createRole(r -> r.roleName("gone").assumeRolePolicyDocument(ROLE_TRUST));
            sandbox.faults().failAtCall(dev.irsa.testing.Service.IAM, 1);
            seen.add(sandbox);
        }

        @Test
        @Order(2)
        void startsClean(IrsaSandbox sandbox) {
            assertThat(sandbox.resources().isEmpty()).isTrue();
            assertThat(sandbox.calls().all()).isEmpty();
            sandbox.iam().listRoles(); // the fault is gone too
            seen.add(sandbox);
        }
    }

    @IrsaSandboxTest(lifecycle = Lifecycle.PER_METHOD)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerMethod {
        static final List<IrsaSandbox> seen = new CopyOnWriteArrayList<>();
        @IrsaInject
        IrsaSandbox field;
        private final IrsaSandbox fromConstructor;
        private IrsaSandbox fromBeforeEach;

        PerMethod(IrsaSandbox sandbox) {
            this.fromConstructor = sandbox;
        }

        @BeforeEach
        void setUp(IrsaSandbox sandbox) {
            fromBeforeEach = sandbox;
        }

        @Test
        @Order(1)
        void first(IrsaSandbox sandbox) {
            assertThat(sandbox).isSameAs(field).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
            sandbox.iam().createRole(r -> r.roleName("only-here").assumeRolePolicyDocument(ROLE_TRUST));
            seen.add(sandbox);
        }

        @Test
        @Order(2)
        void second(IrsaSandbox sandbox) {
            assertThat(sandbox).isSameAs(field).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
            assertThat(sandbox.resources().roles()).isEmpty();
            assertThat(Ports.listening(seen.get(0).gitlabUrl())).as("the first test's sandbox is closed").isFalse();
            seen.add(sandbox);
        }
    }

    @IrsaSandboxTest
    static class BadField {
        @IrsaInject
        String notInjectable;

        @Test
        void neverRuns() {
            assertThat(notInjectable).isNotNull();
        }
    }

    @IrsaSandboxTest(lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodInBeforeAll {
        @BeforeAll
        static void tooEarly(IrsaSandbox sandbox) {
            assertThat(sandbox).isNotNull();
        }

        @Test
        void neverRuns() {
        }
    }
}
