package dev.irsa.testing.aws;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link MotoServer} per test class, injected as a parameter. When moto is not
 * installed the class is skipped with a message saying so, except when the environment variable
 * {@code CI=true}: then it fails, so CI never silently loses the moto tests.
 *
 * <pre>{@code
 * @ExtendWith(MotoServerExtension.class)
 * class MyMotoTest {
 *     @Test void works(MotoServer moto) { ... }
 * }
 * }</pre>
 */
public final class MotoServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MotoServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        requireMotoOrSkip(MotoServer.available(), System.getenv("CI"));
        context.getStore(NS).put(MotoServer.class, MotoServer.start());
    }

    /** Absent moto skips the tests with a message, unless {@code CI=true}: then it is a failure. */
    static void requireMotoOrSkip(boolean available, String ciEnvironment) {
        if (available) {
            return;
        }
        String message = "moto is not installed (" + MotoServer.python() + " -m moto.server; pip install 'moto[server]==5.2.1')";
        if ("true".equalsIgnoreCase(ciEnvironment)) {
            throw new IllegalStateException(message + " and CI=true: the moto tests must run in CI");
        }
        Assumptions.abort("skipped: " + message);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MotoServer server = context.getStore(NS).remove(MotoServer.class, MotoServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        MotoServer server = extensionContext.getRoot().getStore(NS).get(MotoServer.class, MotoServer.class);
        if (server == null) {
            server = extensionContext.getStore(NS).get(MotoServer.class, MotoServer.class);
        }
        if (server == null) {
            throw new ParameterResolutionException("no MotoServer started for " + extensionContext.getDisplayName());
        }
        return server;
    }
}
