package dev.irsa.reliability;

import dev.irsa.gitlab.helm.HelmException;
import dev.irsa.gitlab.helm.HelmExecutor;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.eks.model.EksException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * One switchboard for every remote call of a sandbox: it counts calls per service ("iam", "sts", "eks",
 * "kubernetes") and can fail the j-th call of a service (before the service applies it), or let the service
 * apply it and then report a timeout, or throttle a seeded fraction of AWS calls. AWS clients are wrapped in a
 * dynamic proxy (every method taking an SDK request is one call; paginators and Consumer overloads run as the
 * interface's default methods through the proxy, so their inner calls are counted one by one); Kubernetes
 * requests go through a fabric8 {@link Interceptor}.
 */
final class Faults {
    static final String IAM = "iam";
    static final String STS = "sts";
    static final String EKS = "eks";
    static final String KUBERNETES = "kubernetes";
    static final String HELM = "helm";

    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> log = new ArrayList<>();
    private String crashService;
    private int crashAt;
    private String timeoutService;
    private int timeoutAt;
    private double throttleRate;
    private Random random;
    private int throttled;
    private String quotaOperation;
    private final List<String> secretsSeen = new ArrayList<>();

    /** The {@code j}-th call (1-based, counted from the last {@link #reset()}) of {@code service} fails and is not applied. */
    synchronized Faults crashAt(String service, int j) {
        crashService = service;
        crashAt = j;
        return this;
    }

    /** The {@code j}-th call of {@code service} is applied by the service, then the caller sees a timeout. */
    synchronized Faults timeoutAfterSuccessAt(String service, int j) {
        timeoutService = service;
        timeoutAt = j;
        return this;
    }

    /** A seeded fraction of AWS calls answer with the service's throttling error (not applied). */
    synchronized Faults throttle(double rate, long seed) {
        throttleRate = rate;
        random = new Random(seed);
        return this;
    }

    /** Every call of this AWS operation answers LimitExceeded (a quota: must not be retried). */
    synchronized Faults quotaExceededOn(String operation) {
        quotaOperation = operation;
        return this;
    }

    /** Removes every fault and zeroes the counters. */
    synchronized void reset() {
        counts.clear();
        log.clear();
        crashService = null;
        timeoutService = null;
        throttleRate = 0;
        throttled = 0;
        quotaOperation = null;
    }

    /** Removes every fault, keeps the counters. */
    synchronized void disarm() {
        crashService = null;
        timeoutService = null;
        throttleRate = 0;
        quotaOperation = null;
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Calls as "iam CreateRole", "kubernetes POST /api/v1/namespaces", in order. */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized int throttled() {
        return throttled;
    }

    private enum Verdict { PASS, CRASH, TIMEOUT_AFTER, THROTTLE, QUOTA }

    private synchronized Verdict enter(String service, String operation) {
        int n = counts.merge(service, 1, Integer::sum);
        log.add(service + " " + operation);
        if (service.equals(crashService) && n == crashAt) {
            return Verdict.CRASH;
        }
        if (service.equals(timeoutService) && n == timeoutAt) {
            return Verdict.TIMEOUT_AFTER;
        }
        if (operation.equals(quotaOperation)) {
            return Verdict.QUOTA;
        }
        if (throttleRate > 0 && !service.equals(KUBERNETES) && !service.equals(HELM) && random.nextDouble() < throttleRate) {
            throttled++;
            return Verdict.THROTTLE;
        }
        return Verdict.PASS;
    }

    /** Wraps an AWS SDK client interface ({@code IamClient}, {@code StsClient}, {@code EksClient}). */
    <T> T wrap(Class<T> type, T target, String service) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                boolean operation = args != null && args.length == 1 && args[0] instanceof SdkRequest;
                if (!operation) {
                    if (method.isDefault() && !method.getName().equals("close") && !method.getName().equals("serviceName")) {
                        return InvocationHandler.invokeDefault(proxy, method, args);   // inner calls come back through the proxy
                    }
                    return forward(method, target, args);
                }
                String name = Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
                switch (enter(service, name)) {
                    case CRASH -> throw error(service, "ServiceFailure", 500, "Internal failure (injected crash at this call)");
                    case THROTTLE -> throw error(service, EKS.equals(service) ? "ThrottlingException" : "Throttling",
                            EKS.equals(service) ? 429 : 400, "Rate exceeded (injected)");
                    case QUOTA -> throw error(service, "LimitExceeded", 409, "Cannot exceed quota for RolesPerAccount: 1000 (injected)");
                    case TIMEOUT_AFTER -> {
                        forward(method, target, args);
                        throw ApiCallAttemptTimeoutException.create("HTTP request to " + service + " " + name
                                + " timed out (injected: the service applied the call)", null);
                    }
                    default -> {
                        Object result = forward(method, target, args);
                        remember(args[0], result);
                        return result;
                    }
                }
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** Every STS credential handed out and every web-identity token presented, for leak checks. */
    synchronized List<String> secretsSeen() {
        return List.copyOf(secretsSeen);
    }

    private synchronized void remember(Object request, Object result) {
        if (request instanceof AssumeRoleWithWebIdentityRequest r && r.webIdentityToken() != null) {
            secretsSeen.add(r.webIdentityToken());
        }
        if (result instanceof AssumeRoleWithWebIdentityResponse r && r.credentials() != null) {
            secretsSeen.add(r.credentials().accessKeyId());
            secretsSeen.add(r.credentials().secretAccessKey());
            secretsSeen.add(r.credentials().sessionToken());
        }
    }

    private static Object forward(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static RuntimeException error(String service, String code, int status, String message) {
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service).build();
        BiFunction<AwsErrorDetails, Integer, RuntimeException> make = switch (service) {
            case IAM -> (d, s) -> IamException.builder().awsErrorDetails(d).statusCode(s).message(message).build();
            case STS -> (d, s) -> StsException.builder().awsErrorDetails(d).statusCode(s).message(message).build();
            default -> (d, s) -> EksException.builder().awsErrorDetails(d).statusCode(s).message(message).build();
        };
        return make.apply(details, status);
    }

    /**
     * Wraps a Helm executor: every method is one call; crash = not applied, timeout = applied then "timed out".
     * A default method (statusWithValues) runs on the proxy, so each read it makes (status, then values, as
     * HelmJavaExecutor makes them) is counted and can fail on its own.
     */
    HelmExecutor wrap(HelmExecutor target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return forward(method, target, args);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            String op = method.getName();
            switch (enter(HELM, op)) {
                case CRASH -> throw new HelmException("helm " + op + " failed: connection refused (injected crash at this call)");
                case TIMEOUT_AFTER -> {
                    forward(method, target, args);
                    throw new HelmException("helm " + op + " failed: timed out waiting for the condition (injected: applied)");
                }
                default -> {
                    return forward(method, target, args);
                }
            }
        };
        return (HelmExecutor) Proxy.newProxyInstance(HelmExecutor.class.getClassLoader(), new Class<?>[] {HelmExecutor.class}, handler);
    }

    /** Counts (and crashes) Kubernetes API requests; install with {@code addOrReplaceInterceptor}. */
    private volatile io.fabric8.kubernetes.client.http.HttpClient kubernetesReplay;

    /** The uninstrumented HTTP client through which a timeout-after-success Kubernetes request is carried out. */
    void replayKubernetesThrough(io.fabric8.kubernetes.client.http.HttpClient client) {
        kubernetesReplay = client;
    }

    Interceptor kubernetesInterceptor() {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String op = request.method() + " " + request.uri().getPath();
                switch (enter(KUBERNETES, op)) {
                    case CRASH -> throw new KubernetesClientException("injected crash at " + op, 503, null);
                    case TIMEOUT_AFTER -> {
                        // The API server carries the request out (sent through an uninstrumented client), then the
                        // caller sees a failure, as when its read timed out after the server had acted.
                        try {
                            kubernetesReplay.sendAsync(request, String.class).get(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException("could not replay " + op, e);
                        }
                        throw new KubernetesClientException("injected timeout at " + op + " (the API server applied it)",
                                new java.net.SocketTimeoutException("timeout"));
                    }
                    default -> {
                    }
                }
            }
        };
    }
}
