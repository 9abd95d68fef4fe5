package dev.irsa.policy.internal;

import dev.irsa.ValidationException;
import dev.irsa.policy.GitLabSubject;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.ServiceAccountRef;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Builds trust policies statement by statement; validation happens in the mode builders and in {@link #build()}. */
public final class DefaultTrustPolicyBuilder implements TrustPolicy.Builder {
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final String VERSION = "2012-10-17";

    private final List<IamStatement> statements = new ArrayList<>();
    private boolean wildcardSubjects;
    private int sizeQuota = TrustPolicy.DEFAULT_SIZE_QUOTA;

    @Override
    public TrustPolicy.Builder addIrsa(Consumer<TrustPolicy.IrsaBuilder> statement) {
        Irsa irsa = new Irsa();
        Objects.requireNonNull(statement, "statement").accept(irsa);
        statements.addAll(irsa.statements());
        wildcardSubjects |= irsa.hasPatterns();
        return this;
    }

    @Override
    public TrustPolicy.Builder addPodIdentity(Consumer<TrustPolicy.PodIdentityBuilder> statement) {
        PodIdentity pod = new PodIdentity();
        Objects.requireNonNull(statement, "statement").accept(pod);
        statements.add(pod.statement());
        return this;
    }

    @Override
    public TrustPolicy.Builder addGitLabOidc(Consumer<TrustPolicy.GitLabOidcBuilder> statement) {
        GitLab gitlab = new GitLab();
        Objects.requireNonNull(statement, "statement").accept(gitlab);
        statements.add(gitlab.statement());
        wildcardSubjects |= gitlab.hasPatterns();
        return this;
    }

    @Override
    public TrustPolicy.Builder addStatement(IamStatement statement) {
        statements.add(Objects.requireNonNull(statement, "statement"));
        return this;
    }

    @Override
    public TrustPolicy.Builder sizeQuota(int maxCharactersWithoutWhitespace) {
        if (maxCharactersWithoutWhitespace < 1) {
            throw new ValidationException("trustPolicy.sizeQuota", maxCharactersWithoutWhitespace, "a size quota is a positive number of characters");
        }
        this.sizeQuota = maxCharactersWithoutWhitespace;
        return this;
    }

    @Override
    public TrustPolicy build() {
        if (statements.isEmpty()) {
            throw new ValidationException("trustPolicy.Statement", null, "a trust policy needs at least one statement");
        }
        IamPolicy policy = IamPolicy.builder().version(VERSION).statements(statements).build();
        String json = PolicyJson.render(policy, PolicyJson.Shape.canonical(), false);
        // One validation path for built and parsed documents: what we build must read back cleanly.
        PolicyJson.parse("trustPolicy", json, PolicyJson.Kind.TRUST);
        int size = Validators.sizeWithoutWhitespace(json);
        if (size > sizeQuota) {
            throw new ValidationException("trustPolicy", size + " characters",
                    "a trust policy may have at most " + sizeQuota + " characters not counting whitespace (IAM quota L-C07B4B0D "
                            + "'Role trust policy length'); split the subjects over several roles, use a pattern, or raise the quota and pass sizeQuota(n)");
        }
        return new DefaultTrustPolicy(policy, PolicyJson.Shape.canonical(), wildcardSubjects);
    }

    static String sid(String sid) {
        if (sid != null && !SID.matcher(sid).matches()) {
            throw new ValidationException("trustPolicy.Sid", sid, "a statement id is 1-128 letters and digits");
        }
        return sid;
    }

    static void audience(String field, String audience) {
        Validators.notBlank(field, audience);
        if (audience.indexOf('*') >= 0 || audience.indexOf('?') >= 0) {
            throw new ValidationException(field, audience, "an audience is matched exactly (StringEquals); it cannot be a pattern");
        }
        Validators.policyCharacters(field, audience);
    }

    private static final class Irsa implements TrustPolicy.IrsaBuilder {
        private final List<OidcProvider> providers = new ArrayList<>();
        private final Set<String> exact = new LinkedHashSet<>();
        private final Set<String> patterns = new LinkedHashSet<>();
        private String audience = TrustPolicy.STS_AUDIENCE;
        private String sid;

        @Override
        public TrustPolicy.IrsaBuilder provider(OidcProvider provider) {
            providers.clear();
            return addProvider(provider);
        }

        @Override
        public TrustPolicy.IrsaBuilder providerArn(String providerArn) {
            return provider(OidcProvider.fromArn(providerArn));
        }

        @Override
        public TrustPolicy.IrsaBuilder addProvider(OidcProvider provider) {
            if (provider == null) {
                throw new ValidationException("irsa.provider", null, "an OIDC provider is required");
            }
            if (!providers.contains(provider)) {
                providers.add(provider);
            }
            return this;
        }

        @Override
        public TrustPolicy.IrsaBuilder serviceAccount(String namespace, String name) {
            return serviceAccount(new ServiceAccountRef(namespace, name));
        }

        @Override
        public TrustPolicy.IrsaBuilder serviceAccount(ServiceAccountRef serviceAccount) {
            if (serviceAccount == null) {
                throw new ValidationException("irsa.serviceAccount", null, "a service account is required");
            }
            exact.add(serviceAccount.subject());
            return this;
        }

        @Override
        public TrustPolicy.IrsaBuilder serviceAccounts(Collection<ServiceAccountRef> serviceAccounts) {
            if (serviceAccounts == null) {
                throw new ValidationException("irsa.serviceAccounts", null, "must not be null");
            }
            serviceAccounts.forEach(this::serviceAccount);
            return this;
        }

        @Override
        public TrustPolicy.IrsaBuilder serviceAccountPattern(String namespacePattern, String namePattern) {
            Validators.kubernetesNamePattern("irsa.serviceAccountPattern.namespace", namespacePattern, Validators.DNS1123_LABEL_MAX);
            Validators.kubernetesNamePattern("irsa.serviceAccountPattern.name", namePattern, Validators.DNS1123_SUBDOMAIN_MAX);
            if (Wildcard.hasWildcard(namespacePattern)) {
                // '?*' or 'de?' match other namespaces too (kube-system among them): only the name may be a pattern.
                throw new ValidationException("irsa.serviceAccountPattern.namespace", namespacePattern,
                        "a subject pattern must pin the namespace: '*' and '?' in it match other namespaces too (e.g. kube-system); "
                                + "name the namespace exactly and add one pattern per namespace");
            }
            patterns.add("system:serviceaccount:" + namespacePattern + ":" + namePattern);
            return this;
        }

        @Override
        public TrustPolicy.IrsaBuilder audience(String audience) {
            DefaultTrustPolicyBuilder.audience("irsa.audience", audience);
            this.audience = audience;
            return this;
        }

        @Override
        public TrustPolicy.IrsaBuilder sid(String sid) {
            this.sid = DefaultTrustPolicyBuilder.sid(sid);
            return this;
        }

        boolean hasPatterns() {
            return !patterns.isEmpty();
        }

        List<IamStatement> statements() {
            if (providers.isEmpty()) {
                throw new ValidationException("irsa.provider", null, "an IRSA trust needs the cluster's OIDC provider (provider(...) or providerArn(...))");
            }
            if (exact.isEmpty() && patterns.isEmpty()) {
                throw new ValidationException("irsa.serviceAccount", null, "an IRSA trust needs at least one service account");
            }
            List<IamStatement> result = new ArrayList<>();
            for (int i = 0; i < providers.size(); i++) {
                OidcProvider provider = providers.get(i);
                IamStatement.Builder b = IamStatement.builder()
                        .sid(sid == null || i == 0 ? sid : sid + (i + 1)) // Sids are unique within an IAM policy
                        .effect(IamEffect.ALLOW)
                        .addPrincipal(IamPrincipalType.FEDERATED, provider.arn())
                        .addAction(TrustPolicy.ASSUME_ROLE_WITH_WEB_IDENTITY);
                if (patterns.isEmpty()) {
                    b.addConditions(IamConditionOperator.STRING_EQUALS, provider.conditionKey("sub"), List.copyOf(exact));
                } else {
                    List<String> all = new ArrayList<>(exact);
                    all.addAll(patterns);
                    b.addConditions(IamConditionOperator.STRING_LIKE, provider.conditionKey("sub"), all);
                }
                b.addCondition(IamConditionOperator.STRING_EQUALS, provider.conditionKey("aud"), audience);
                result.add(b.build());
            }
            return result;
        }
    }

    private static final class PodIdentity implements TrustPolicy.PodIdentityBuilder {
        private String sourceAccount;
        private String sourceArn;
        private String sid;

        @Override
        public TrustPolicy.PodIdentityBuilder sourceAccount(String accountId) {
            this.sourceAccount = Validators.accountId("podIdentity.sourceAccount", accountId);
            return this;
        }

        @Override
        public TrustPolicy.PodIdentityBuilder sourceArn(String clusterArn) {
            this.sourceArn = Validators.eksClusterArn("podIdentity.sourceArn", clusterArn);
            return this;
        }

        @Override
        public TrustPolicy.PodIdentityBuilder sid(String sid) {
            this.sid = DefaultTrustPolicyBuilder.sid(sid);
            return this;
        }

        IamStatement statement() {
            if (sourceAccount != null && sourceArn != null) {
                Validators.arnInScope("podIdentity.sourceArn", sourceArn, sourceArn.split(":")[1], sourceAccount);
            }
            IamStatement.Builder b = IamStatement.builder()
                    .sid(sid)
                    .effect(IamEffect.ALLOW)
                    .addPrincipal(IamPrincipalType.SERVICE, TrustPolicy.POD_IDENTITY_SERVICE)
                    .addAction("sts:AssumeRole")
                    .addAction("sts:TagSession");
            if (sourceAccount != null) {
                b.addCondition(IamConditionOperator.STRING_EQUALS, "aws:SourceAccount", sourceAccount);
            }
            if (sourceArn != null) {
                b.addCondition(IamConditionOperator.ARN_EQUALS, "aws:SourceArn", sourceArn);
            }
            return b.build();
        }
    }

    private static final class GitLab implements TrustPolicy.GitLabOidcBuilder {
        private OidcProvider provider;
        private String audience;
        private final Set<GitLabSubject> subjects = new LinkedHashSet<>();
        private String sid;

        @Override
        public TrustPolicy.GitLabOidcBuilder provider(OidcProvider provider) {
            if (provider == null) {
                throw new ValidationException("gitlab.provider", null, "a GitLab OIDC provider is required");
            }
            this.provider = provider;
            return this;
        }

        @Override
        public TrustPolicy.GitLabOidcBuilder audience(String audience) {
            DefaultTrustPolicyBuilder.audience("gitlab.audience", audience);
            this.audience = audience;
            return this;
        }

        @Override
        public TrustPolicy.GitLabOidcBuilder subject(GitLabSubject subject) {
            if (subject == null) {
                throw new ValidationException("gitlab.subject", null, "a subject is required");
            }
            subjects.add(subject);
            return this;
        }

        @Override
        public TrustPolicy.GitLabOidcBuilder branch(String projectPath, String branch) {
            return subject(GitLabSubject.branch(projectPath, branch));
        }

        @Override
        public TrustPolicy.GitLabOidcBuilder tag(String projectPath, String tag) {
            return subject(GitLabSubject.tag(projectPath, tag));
        }

        @Override
        public TrustPolicy.GitLabOidcBuilder sid(String sid) {
            this.sid = DefaultTrustPolicyBuilder.sid(sid);
            return this;
        }

        boolean hasPatterns() {
            return subjects.stream().anyMatch(GitLabSubject::isPattern);
        }

        IamStatement statement() {
            if (provider == null) {
                throw new ValidationException("gitlab.provider", null, "a GitLab OIDC trust needs the GitLab instance's OIDC provider");
            }
            if (subjects.isEmpty()) {
                throw new ValidationException("gitlab.subject", null, "a GitLab OIDC trust needs at least one project/ref subject");
            }
            List<String> subs = subjects.stream().map(GitLabSubject::sub).distinct().toList();
            IamStatement.Builder b = IamStatement.builder()
                    .sid(sid)
                    .effect(IamEffect.ALLOW)
                    .addPrincipal(IamPrincipalType.FEDERATED, provider.arn())
                    .addAction(TrustPolicy.ASSUME_ROLE_WITH_WEB_IDENTITY)
                    .addCondition(IamConditionOperator.STRING_EQUALS, provider.conditionKey("aud"),
                            audience == null ? provider.issuerUrl() : audience);
            b.addConditions(hasPatterns() ? IamConditionOperator.STRING_LIKE : IamConditionOperator.STRING_EQUALS,
                    provider.conditionKey("sub"), subs);
            return b.build();
        }
    }
}
