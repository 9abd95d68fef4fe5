package dev.irsa.testing;

import dev.irsa.Sleeper;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.testing.IrsaSandboxTest.Lifecycle;
import dev.irsa.testing.aws.ManualClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.gitlab4j.api.GitLabApi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JUnit 5 extension behind {@link IrsaSandboxTest}: starts, injects, resets and closes sandboxes.
 * Registered by the annotation; use it directly only with {@code @ExtendWith} on a class that also carries
 * {@link IrsaSandboxTest} settings (otherwise the defaults apply).
 */
public final class IrsaSandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IrsaSandboxExtension.class);
    private static final String KEY = "sandbox";
    private static final Map<Class<?>, Function<IrsaSandbox, Object>> INJECTABLE = new LinkedHashMap<>();

    static {
        INJECTABLE.put(IrsaSandbox.class, s -> s);
        INJECTABLE.put(IamClient.class, IrsaSandbox::iam);
        INJECTABLE.put(StsClient.class, IrsaSandbox::sts);
        INJECTABLE.put(EksClient.class, IrsaSandbox::eks);
        INJECTABLE.put(KubernetesClient.class, IrsaSandbox::kubernetesClient);
        INJECTABLE.put(GitLabApi.class, IrsaSandbox::gitLabApi);
        INJECTABLE.put(AwsExecutor.class, IrsaSandbox::awsExecutor);
        INJECTABLE.put(KubernetesExecutor.class, IrsaSandbox::kubernetesExecutor);
        INJECTABLE.put(GitLabExecutor.class, IrsaSandbox::gitLabExecutor);
        INJECTABLE.put(HelmExecutor.class, IrsaSandbox::helmExecutor);
        INJECTABLE.put(ManualClock.class, IrsaSandbox::clock);
        INJECTABLE.put(Sleeper.class, IrsaSandbox::sleeper);
        INJECTABLE.put(SandboxFaults.class, IrsaSandbox::faults);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (settings(context).lifecycle() == Lifecycle.PER_CLASS) {
            IrsaSandbox sandbox = classSandbox(context);
            injectFields(context.getRequiredTestClass(), null, sandbox, true);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        IrsaSandboxTest settings = settings(context);
        IrsaSandbox sandbox;
        if (settings.lifecycle() == Lifecycle.PER_CLASS) {
            sandbox = classSandbox(context);
            if (settings.cleanState()) {
                sandbox.reset();
            }
        } else {
            sandbox = methodSandbox(context);
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, sandbox, false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (settings(context).lifecycle() == Lifecycle.PER_METHOD) {
            closeIn(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (settings(context).lifecycle() == Lifecycle.PER_CLASS && owner(context) == context) {
            closeIn(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return INJECTABLE.containsKey(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        IrsaSandboxTest settings = settings(context);
        IrsaSandbox sandbox;
        if (settings.lifecycle() == Lifecycle.PER_CLASS) {
            sandbox = classSandbox(context);
        } else if (context.getTestMethod().isPresent()) {
            sandbox = methodSandbox(context);
        } else {
            throw new ParameterResolutionException("@IrsaSandboxTest(lifecycle = PER_METHOD) has no sandbox outside a test method"
                    + " (a @BeforeAll method or the constructor of a @TestInstance(PER_CLASS) class): inject into"
                    + " test or @BeforeEach method parameters or @IrsaInject fields instead");
        }
        return INJECTABLE.get(parameterContext.getParameter().getType()).apply(sandbox);
    }

    /** Constructors of per-method test instances are resolved in the test method's context, so they get that test's sandbox. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    // ---- sandboxes

    private static IrsaSandbox classSandbox(ExtensionContext context) {
        IrsaSandboxTest settings = settings(context);
        return owner(context).getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> start(settings), IrsaSandbox.class);
    }

    private static IrsaSandbox methodSandbox(ExtensionContext context) {
        IrsaSandboxTest settings = settings(context);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        IrsaSandbox existing = store.get(KEY, IrsaSandbox.class);
        if (existing == null) {
            existing = start(settings);
            store.put(KEY, existing);
        }
        return existing;
    }

    private static void closeIn(ExtensionContext context) {
        IrsaSandbox sandbox = context.getStore(NAMESPACE).remove(KEY, IrsaSandbox.class);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static IrsaSandbox start(IrsaSandboxTest settings) {
        return IrsaSandbox.builder()
                .region(settings.region())
                .clusterName(settings.clusterName())
                .account(settings.account())
                .gitlabProject(settings.gitlabProject())
                .start();
    }

    /** The outermost class context whose class carries {@link IrsaSandboxTest}: nested classes share its sandbox. */
    private static ExtensionContext owner(ExtensionContext context) {
        ExtensionContext owner = null;
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent() && c.getTestMethod().isEmpty()
                    && AnnotationSupport.findAnnotation(c.getTestClass().get(), IrsaSandboxTest.class).isPresent()) {
                owner = c;
            }
        }
        if (owner == null) {
            // registered with @ExtendWith alone: the class context holds the sandbox
            owner = context;
            while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
                owner = owner.getParent().get();
            }
        }
        return owner;
    }

    private static IrsaSandboxTest settings(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<IrsaSandboxTest> found = c.getTestClass().flatMap(t -> AnnotationSupport.findAnnotation(t, IrsaSandboxTest.class));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(IrsaSandboxTest.class);
    }

    @IrsaSandboxTest
    private static final class Defaults {
    }

    // ---- fields

    private static void injectFields(Class<?> type, Object instance, IrsaSandbox sandbox, boolean statics) {
        for (Field field : AnnotationSupport.findAnnotatedFields(type, IrsaInject.class, f -> Modifier.isStatic(f.getModifiers()) == statics,
                HierarchyTraversalMode.TOP_DOWN)) {
            Function<IrsaSandbox, Object> value = INJECTABLE.get(field.getType());
            if (value == null) {
                throw new ExtensionConfigurationException("@IrsaInject field " + field + " has a type the sandbox does not provide;"
                        + " supported: " + INJECTABLE.keySet().stream().map(Class::getSimpleName).toList());
            }
            if (Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@IrsaInject field " + field + " must not be final");
            }
            try {
                field.setAccessible(true);
                field.set(instance, value.apply(sandbox));
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set @IrsaInject field " + field, e);
            }
        }
    }
}
