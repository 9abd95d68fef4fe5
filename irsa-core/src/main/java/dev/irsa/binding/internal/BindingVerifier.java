package dev.irsa.binding.internal;

import dev.irsa.binding.PlanLookups;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.irsa.IrsaException;
import dev.irsa.aws.AccountMismatchException;
import dev.irsa.aws.ObservedOidcProvider;
import dev.irsa.aws.ObservedPodIdentityAssociation;
import dev.irsa.aws.ObservedRole;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.GitLabOidcSpec;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.kubernetes.CredentialInjectionReport;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.PodWithoutCredentials;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountObservation;
import dev.irsa.kubernetes.ServiceAccountToken;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.TrustDecision;
import dev.irsa.policy.TrustEvaluator;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.policy.WebIdentityRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Verify ("doctor") for a binding. Each check says what it saw; a failure names the cause and the fix.
 * STS credentials are never kept: only the assumed-role ARN is reported.
 */
public final class BindingVerifier {
    public static final String PROVIDER = "oidc-provider";
    public static final String ROLE = "role";
    public static final String TRUST = "trust";
    public static final String ANNOTATION = "service-account-annotation";
    public static final String ASSUME = "assume-role-with-web-identity";
    public static final String PODS = "pods-credentials";
    public static final String ASSOCIATION = "pod-identity-association";
    public static final String SERVICE_ACCOUNT = "service-account";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private BindingVerifier() {
    }

    public static List<VerifyCheck> verify(RoleBinding binding, BindingBackends backends) {
        return verify(binding, backends, PlanLookups.create(backends.aws()));
    }

    /** {@link #verify(RoleBinding, BindingBackends)} with the lookups shared by the other bindings verified with it. */
    public static List<VerifyCheck> verify(RoleBinding binding, BindingBackends backends, PlanLookups lookups) {
        List<VerifyCheck> checks = new ArrayList<>();
        OidcProvider provider;
        try {
            provider = new Resolution(binding, lookups).provider();
        } catch (AccountMismatchException e) {
            checks.add(VerifyCheck.fail("account", e.getMessage(), "the spec names another account than the credentials'",
                    "use credentials for account " + e.specAccountId() + ", or fix the account in the spec"));
            return checks;
        } catch (IrsaException e) {
            checks.add(VerifyCheck.fail("cluster", "could not read the cluster's issuer: " + e.getMessage(),
                    "the EKS cluster " + binding.cluster().flatMap(ClusterRef::clusterName).orElse("?") + " was not found or is not readable",
                    "check the cluster name and region, and that the caller may call eks:DescribeCluster"));
            return checks;
        }
        String roleArn = binding.roleArn(provider.accountId(), provider.partition());
        if (binding.mode() != IdentityMode.POD_IDENTITY) {
            checks.add(checkProvider(binding, backends, provider));
        }
        Optional<ObservedRole> role = backends.aws().roles().observe(binding.role().name());
        if (role.isEmpty()) {
            checks.add(VerifyCheck.fail(ROLE, "role " + binding.role().name() + " does not exist",
                    "the role was never created or was deleted", "run apply (irsa apply --spec ...)"));
        } else {
            checks.add(VerifyCheck.pass(ROLE, "role " + role.get().arn() + " exists"));
            checks.add(checkTrust(binding, provider, TrustPolicy.fromJson(role.get().trustPolicyJson())));
        }
        switch (binding.mode()) {
            case IRSA -> verifyIrsa(binding, backends, provider, roleArn, checks);
            case POD_IDENTITY -> verifyPodIdentity(binding, backends, roleArn, checks);
            case GITLAB_OIDC -> { }
        }
        return checks;
    }

    static VerifyCheck checkProvider(RoleBinding binding, BindingBackends backends, OidcProvider provider) {
        Optional<ObservedOidcProvider> live = backends.aws().oidcProviders().observe(provider.issuerUrl());
        if (live.isEmpty()) {
            return VerifyCheck.fail(PROVIDER, "no IAM OIDC provider for " + provider.issuerUrl(),
                    "missing provider: IAM does not know the issuer, so STS rejects every token (InvalidIdentityToken: No OpenIDConnect provider found)",
                    "run apply, or create the IAM OIDC provider for " + provider.issuerUrl() + " in account " + provider.accountId());
        }
        String audience = audience(binding);
        if (!live.get().clientIds().contains(audience)) {
            return VerifyCheck.fail(PROVIDER, "provider " + live.get().arn() + " has client ids " + live.get().clientIds(),
                    "wrong audience: tokens for audience " + audience + " are rejected (Incorrect token audience)",
                    "add client id " + audience + " to the provider (apply does it)");
        }
        return VerifyCheck.pass(PROVIDER, "provider " + live.get().arn() + " accepts audience " + audience);
    }

    static String audience(RoleBinding binding) {
        return binding.mode() == IdentityMode.GITLAB_OIDC
                ? binding.gitlabOidc().orElseThrow().effectiveAudience()
                : binding.serviceAccount().map(ServiceAccountSpec::audience).orElse(ServiceAccountSpec.DEFAULT_AUDIENCE);
    }

    /** Evaluates the live trust against the claims the configured identity presents, and explains a denial. */
    static VerifyCheck checkTrust(RoleBinding binding, OidcProvider provider, TrustPolicy live) {
        if (binding.mode() == IdentityMode.POD_IDENTITY) {
            ClusterRef c = binding.cluster().orElseThrow();
            String clusterArn = "arn:" + provider.partition() + ":eks:" + c.region().orElse("us-east-1") + ":"
                    + provider.accountId() + ":cluster/" + c.clusterName().orElseThrow();
            TrustDecision d = TrustEvaluator.evaluatePodIdentity(live, provider.accountId(), clusterArn);
            return d.allowed() ? VerifyCheck.pass(TRUST, "Pod Identity may assume the role: " + d.explanation())
                    : VerifyCheck.fail(TRUST, d.explanation(), "the trust does not admit pods.eks.amazonaws.com for this cluster",
                    "run apply to restore the trust policy");
        }
        WebIdentityRequest request;
        String who;
        if (binding.mode() == IdentityMode.GITLAB_OIDC) {
            GitLabOidcSpec g = binding.gitlabOidc().orElseThrow();
            request = new WebIdentityRequest(provider.arn(), Map.of("iss", provider.issuerUrl(), "sub", g.subject().sub(),
                    "aud", g.effectiveAudience()));
            who = "GitLab jobs of " + g.subject().sub();
        } else {
            ServiceAccountSpec sa = binding.serviceAccount().orElseThrow();
            request = new WebIdentityRequest(provider.arn(), Map.of("iss", provider.issuerUrl(), "sub", sa.ref().subject(),
                    "aud", sa.audience()));
            who = "service account " + sa.namespace() + "/" + sa.name();
        }
        if (!live.federatedPrincipals().contains(provider.arn())) {
            return VerifyCheck.fail(TRUST, "the trust names " + live.federatedPrincipals() + ", not " + provider.arn(),
                    "issuer mismatch: the role trusts another OIDC provider than the cluster's issuer " + provider.issuerUrl(),
                    "run apply to rewrite the trust for " + provider.arn());
        }
        TrustDecision decision = TrustEvaluator.evaluate(live, request);
        if (decision.allowed()) {
            return VerifyCheck.pass(TRUST, who + " may assume the role");
        }
        return explainDenial(live, provider, request, who, decision);
    }

    private static VerifyCheck explainDenial(TrustPolicy live, OidcProvider provider, WebIdentityRequest request, String who,
                                             TrustDecision decision) {
        Map<String, List<String>> trusted = conditionValues(live, provider);
        String sub = String.valueOf(request.claims().get("sub"));
        String aud = String.valueOf(request.claims().get("aud"));
        List<String> subs = trusted.getOrDefault("sub", List.of());
        List<String> auds = trusted.getOrDefault("aud", List.of());
        if (!subs.isEmpty() && !subs.contains(sub)) {
            String closest = subs.get(0);
            return VerifyCheck.fail(TRUST, "the trust allows sub " + subs + "; " + who + " presents " + sub,
                    "sub typo: " + describeDifference(closest, sub),
                    "run apply to restore the trust, or fix the service account name in the spec");
        }
        if (!auds.isEmpty() && !auds.contains(aud)) {
            return VerifyCheck.fail(TRUST, "the trust requires aud " + auds + "; tokens carry " + aud,
                    "wrong audience: the token's aud " + aud + " is not the one the trust pins",
                    "request tokens for " + auds.get(0) + " or run apply to restore the trust");
        }
        return VerifyCheck.fail(TRUST, decision.explanation(), "the trust policy does not admit " + who,
                "run apply to restore the trust policy");
    }

    /** Which part of {@code expected} differs from {@code actual} (namespace, name or elsewhere). */
    static String describeDifference(String trusted, String actual) {
        String[] t = trusted.split(":");
        String[] a = actual.split(":");
        if (t.length == 4 && a.length == 4 && t[0].equals("system") && a[0].equals("system")) {
            if (!t[2].equals(a[2])) {
                return "the trust names namespace '" + t[2] + "', the service account is in '" + a[2] + "'";
            }
            if (!t[3].equals(a[3])) {
                return "the trust names service account '" + t[3] + "', the service account is '" + a[3] + "'";
            }
        }
        int i = 0;
        while (i < Math.min(trusted.length(), actual.length()) && trusted.charAt(i) == actual.charAt(i)) {
            i++;
        }
        return "'" + trusted + "' and '" + actual + "' differ from character " + (i + 1);
    }

    /** Values of {@code <provider>:sub} and {@code :aud} conditions in the trust's statements. */
    static Map<String, List<String>> conditionValues(TrustPolicy trust, OidcProvider provider) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (var statement : trust.toIamPolicy().statements()) {
            for (IamCondition c : statement.conditions()) {
                String key = c.key().value();
                for (String claim : List.of("sub", "aud")) {
                    if (key.equalsIgnoreCase(provider.conditionKey(claim))) {
                        values.computeIfAbsent(claim, k -> new ArrayList<>()).add(c.value());
                    }
                }
            }
        }
        return values;
    }

    private static void verifyIrsa(RoleBinding binding, BindingBackends backends, OidcProvider provider, String roleArn,
                                   List<VerifyCheck> checks) {
        ServiceAccountSpec sa = binding.serviceAccount().orElseThrow();
        Optional<KubernetesExecutor> k8s = backends.kubernetes();
        if (k8s.isEmpty()) {
            checks.add(VerifyCheck.skipped(ANNOTATION, "no Kubernetes executor given"));
            return;
        }
        ServiceAccountObservation observed = k8s.get().observeServiceAccount(ServiceAccountBinding.of(b -> b
                .namespace(sa.namespace()).name(sa.name()).stack(binding.name()).roleArn(roleArn)));
        if (!observed.exists()) {
            checks.add(VerifyCheck.fail(ANNOTATION, "service account " + sa.namespace() + "/" + sa.name() + " does not exist",
                    "the service account was never created or was deleted", "run apply"));
            return;
        }
        String annotation = observed.annotations().get(IrsaMetadata.ROLE_ARN_ANNOTATION);
        if (!roleArn.equals(annotation)) {
            checks.add(VerifyCheck.fail(ANNOTATION, IrsaMetadata.ROLE_ARN_ANNOTATION + " = " + annotation,
                    annotation == null ? "the service account has no role annotation, so pods get no AWS credentials"
                            : "the annotation names another role than " + roleArn,
                    "run apply to set " + IrsaMetadata.ROLE_ARN_ANNOTATION + ": " + roleArn + ", then restart the pods"));
        } else {
            checks.add(VerifyCheck.pass(ANNOTATION, IrsaMetadata.ROLE_ARN_ANNOTATION + " = " + roleArn));
        }
        checks.add(assume(binding, backends, k8s.get(), provider, roleArn, checks.stream().allMatch(VerifyCheck::passed)));
        checks.add(pods(k8s.get(), sa));
    }

    /**
     * A real exchange: a token for the SA from the API server, then STS AssumeRoleWithWebIdentity. Denials
     * are retried with bounded backoff on the injected sleeper while everything else checked out (IAM
     * propagation); the credentials are dropped.
     */
    static VerifyCheck assume(RoleBinding binding, BindingBackends backends, KubernetesExecutor k8s, OidcProvider provider,
                              String roleArn, boolean configurationLooksRight) {
        Optional<StsClient> sts = backends.sts();
        if (sts.isEmpty()) {
            return VerifyCheck.skipped(ASSUME, "no STS client given");
        }
        ServiceAccountSpec sa = binding.serviceAccount().orElseThrow();
        ServiceAccountToken token;
        try {
            token = k8s.requestToken(sa.namespace(), sa.name(), sa.audience(), Duration.ofHours(1));
        } catch (IrsaException e) {
            return VerifyCheck.fail(ASSUME, "could not get a token for " + sa.namespace() + "/" + sa.name() + ": " + e.getMessage(),
                    "the API server did not issue a service-account token", "check that the service account exists and the caller may create serviceaccounts/token");
        }
        Optional<String> issuer = issuer(token);
        if (issuer.isPresent() && !issuer.get().equals(provider.issuerUrl())) {
            return VerifyCheck.fail(ASSUME, "the cluster issues tokens as " + issuer.get(),
                    "issuer mismatch: the binding's issuer is " + provider.issuerUrl() + " but the cluster's tokens say " + issuer.get(),
                    "point the spec at the cluster's issuer (or use the EKS cluster name so irsa looks it up) and apply");
        }
        Duration slept = Duration.ZERO;
        Duration backoff = FIRST_BACKOFF;
        String lastError = "";
        while (true) {
            try {
                var response = sts.get().assumeRoleWithWebIdentity(b -> b.roleArn(roleArn)
                        .roleSessionName("irsa-verify").webIdentityToken(token.token().reveal()));
                // Credentials are dropped here: only the assumed identity is reported.
                return VerifyCheck.pass(ASSUME, "STS accepted a token of " + sa.namespace() + "/" + sa.name() + " for "
                        + roleArn + " (assumed " + response.assumedRoleUser().arn() + ")");
            } catch (StsException e) {
                String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
                String message = e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage();
                lastError = code + ": " + message;
                boolean retryable = code.equals("AccessDenied") || (code.equals("InvalidIdentityToken")
                        && String.valueOf(message).contains("No OpenIDConnect provider"));
                if (!configurationLooksRight || !retryable) {
                    return diagnoseStsError(code, message, roleArn, provider);
                }
                if (slept.compareTo(backends.propagationTimeout()) >= 0) {
                    return VerifyCheck.fail(ASSUME, "STS still answers " + lastError + " after retrying for " + slept.toSeconds() + " s",
                            "IAM propagation timeout: role " + binding.role().name() + " (or its trust, or the OIDC provider) is not usable yet, though its configuration is right",
                            "wait a minute and run verify again; if it persists, compare the trust of " + binding.role().name() + " in the console");
                }
                Duration wait = backoff.compareTo(backends.propagationTimeout().minus(slept)) > 0
                        ? backends.propagationTimeout().minus(slept) : backoff;
                backends.sleeper().sleep(wait.isZero() ? Duration.ofMillis(1) : wait);
                slept = slept.plus(wait.isZero() ? Duration.ofMillis(1) : wait);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static VerifyCheck diagnoseStsError(String code, String message, String roleArn, OidcProvider provider) {
        String detail = "STS answered " + code + ": " + message;
        if (String.valueOf(message).contains("No OpenIDConnect provider")) {
            return VerifyCheck.fail(ASSUME, detail, "missing provider: no IAM OIDC provider for " + provider.issuerUrl(),
                    "run apply to create it");
        }
        if (String.valueOf(message).contains("audience")) {
            return VerifyCheck.fail(ASSUME, detail, "wrong audience: the provider's client ids do not include the token's audience",
                    "add the audience to the provider's client ids (apply does it)");
        }
        return VerifyCheck.fail(ASSUME, detail, "the role's trust does not admit this token (see the trust check)",
                "run apply to restore the trust of " + roleArn);
    }

    private static Optional<String> issuer(ServiceAccountToken token) {
        try {
            JWTClaimsSet claims = SignedJWT.parse(token.token().reveal()).getJWTClaimsSet();
            return Optional.ofNullable(claims.getIssuer());
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    static VerifyCheck pods(KubernetesExecutor k8s, ServiceAccountSpec sa) {
        CredentialInjectionReport report = k8s.checkCredentialInjection(sa.namespace(), sa.name());
        if (report.allInjected()) {
            return VerifyCheck.pass(PODS, report.podsChecked() == 0 ? "no pods run as " + sa.namespace() + "/" + sa.name() + " yet"
                    : report.podsChecked() + " pod(s) of " + sa.namespace() + "/" + sa.name() + " have injected AWS credentials");
        }
        String pods = report.podsWithoutCredentials().stream().map(PodWithoutCredentials::pod).collect(Collectors.joining(", "));
        String workloads = report.workloadsToRestart().stream().map(Object::toString).collect(Collectors.joining(", "));
        return VerifyCheck.fail(PODS, "pods without AWS credentials: " + pods,
                "pod predates annotation: the webhook injects credentials only when a pod is created",
                "restart " + (workloads.isEmpty() ? "the pods" : workloads) + " (kubectl rollout restart, or KubernetesExecutor.restartWorkloads)");
    }

    private static void verifyPodIdentity(RoleBinding binding, BindingBackends backends, String roleArn, List<VerifyCheck> checks) {
        ServiceAccountSpec sa = binding.serviceAccount().orElseThrow();
        String cluster = binding.cluster().flatMap(ClusterRef::clusterName).orElseThrow();
        Optional<ObservedPodIdentityAssociation> live = backends.aws().podIdentity().observe(cluster, sa.namespace(), sa.name());
        if (live.isEmpty()) {
            checks.add(VerifyCheck.fail(ASSOCIATION, "no pod identity association for " + sa.namespace() + "/" + sa.name(),
                    "the association was never created or was deleted", "run apply"));
        } else if (!roleArn.equals(live.get().roleArn())) {
            checks.add(VerifyCheck.fail(ASSOCIATION, "the association names " + live.get().roleArn(),
                    "the association points at another role", "run apply"));
        } else {
            checks.add(VerifyCheck.pass(ASSOCIATION, sa.namespace() + "/" + sa.name() + " -> " + roleArn));
        }
        checks.add(podIdentityServiceAccount(binding, backends));
    }

    /**
     * The account the association names must exist (the ServiceAccount admission refuses a pod naming a
     * missing one) and carry no IRSA role annotation (its web-identity credentials would win over Pod Identity's).
     */
    private static VerifyCheck podIdentityServiceAccount(RoleBinding binding, BindingBackends backends) {
        ServiceAccountSpec sa = binding.serviceAccount().orElseThrow();
        String account = sa.namespace() + "/" + sa.name();
        Optional<KubernetesExecutor> k8s = backends.kubernetes();
        if (k8s.isEmpty()) {
            return VerifyCheck.skipped(SERVICE_ACCOUNT, "no Kubernetes executor given");
        }
        ServiceAccountObservation observed = k8s.get().observeServiceAccount(ServiceAccountBinding.of(b -> b
                .namespace(sa.namespace()).name(sa.name()).stack(binding.name())));
        if (!observed.exists()) {
            return VerifyCheck.fail(SERVICE_ACCOUNT, "service account " + account + " does not exist",
                    "the pod identity association names " + account + ", which was never created or was deleted:"
                            + " Kubernetes refuses every pod that runs as it (error looking up service account)",
                    "run apply (it creates the service account), or create " + account + " yourself and set serviceAccount.adopt");
        }
        String annotation = observed.annotations().get(IrsaMetadata.ROLE_ARN_ANNOTATION);
        if (annotation != null) {
            return VerifyCheck.fail(SERVICE_ACCOUNT, IrsaMetadata.ROLE_ARN_ANNOTATION + " = " + annotation + " on " + account,
                    "the IRSA webhook gives the pods web-identity credentials for " + annotation
                            + ", which the AWS SDKs use before Pod Identity's",
                    "run apply to remove the annotation (or remove " + IrsaMetadata.ROLE_ARN_ANNOTATION + "), then restart the pods");
        }
        return VerifyCheck.pass(SERVICE_ACCOUNT, "service account " + account + " exists, as the association names it");
    }
}
