package dev.irsa.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against an {@link IrsaSandbox}. The sandbox, or any client it hands out, is injected into
 * constructor and method parameters and into fields marked {@link IrsaInject}: {@link IrsaSandbox},
 * {@code IamClient}, {@code StsClient}, {@code EksClient}, {@code KubernetesClient}, {@code GitLabApi},
 * {@code AwsExecutor}, {@code KubernetesExecutor}, {@code GitLabExecutor}, {@code HelmExecutor},
 * {@code ManualClock}, {@code Sleeper}, {@link SandboxFaults}.
 *
 * <pre>{@code
 * @IrsaSandboxTest(cleanState = true)
 * class ProvisionerTest {
 *     @IrsaInject IrsaSandbox sandbox;
 *
 *     @Test
 *     void createsOneRole(AwsExecutor aws, KubernetesExecutor k8s) {
 *         new MyProvisioner(aws, k8s).provision("ci", "deployer");
 *         assertThat(sandbox.resources().roles()).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * With {@link Lifecycle#PER_CLASS} (default) one sandbox serves every test of the class (and its
 * {@code @Nested} classes) and is closed after the class; {@code cleanState = true} resets it before each
 * test. With {@link Lifecycle#PER_METHOD} every test gets a new sandbox, closed after the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IrsaSandboxExtension.class)
public @interface IrsaSandboxTest {

    /** One sandbox per class (default) or a new one per test method. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** With {@link Lifecycle#PER_CLASS}: {@link IrsaSandbox#reset()} before each test. */
    boolean cleanState() default false;

    /** See {@link IrsaSandbox.Builder#region(String)}. */
    String region() default "eu-west-1";

    /** See {@link IrsaSandbox.Builder#clusterName(String)}. */
    String clusterName() default "test-cluster";

    /** See {@link IrsaSandbox.Builder#account(String)}. */
    String account() default "123456789012";

    /** See {@link IrsaSandbox.Builder#gitlabProject(String)}. */
    String gitlabProject() default "group/project";

    /** How long a sandbox lives. */
    enum Lifecycle {
        /** One sandbox for the test class, closed after its last test. */
        PER_CLASS,
        /** A sandbox per test method, closed after the test. */
        PER_METHOD
    }
}
