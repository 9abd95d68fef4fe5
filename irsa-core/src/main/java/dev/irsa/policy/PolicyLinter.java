package dev.irsa.policy;

import dev.irsa.lint.Finding;
import dev.irsa.lint.LintException;
import dev.irsa.lint.LintOptions;
import dev.irsa.lint.LintReport;
import dev.irsa.lint.Severity;
import dev.irsa.policy.internal.ConditionEvaluator;
import dev.irsa.policy.internal.WebIdentityConditionLint;
import dev.irsa.policy.internal.Wildcard;
import software.amazon.awssdk.policybuilder.iam.IamAction;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamResource;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Security and limit checks for trust and permissions policies, with stable finding ids. Pure: no I/O.
 * ERROR findings block apply unless the caller accepts the id ({@link LintReport#accept}).
 *
 * <pre>{@code
 * LintReport trust = PolicyLinter.lintTrust(TrustPolicy.fromJson(json));
 * trust.throwIfErrors();                      // LintException lists IRSA-T0xx errors
 *
 * LintReport admin = PolicyLinter.lintPermissions(PermissionsPolicy.fromJson(adminJson));
 * PolicyLinter.requireClean(admin, "IRSA-P002");   // iam:* accepted deliberately
 * }</pre>
 *
 * <table>
 * <caption>Finding ids (also in irsa-core/LINT-RULES.md)</caption>
 * <tr><th>id</th><th>severity</th><th>rule</th></tr>
 * <tr><td>IRSA-T001</td><td>ERROR</td><td>web-identity Allow statement does not constrain {@code <provider>:sub} (StringEquals/StringLike)</td></tr>
 * <tr><td>IRSA-T002</td><td>ERROR</td><td>web-identity Allow statement does not constrain {@code <provider>:aud}</td></tr>
 * <tr><td>IRSA-T003</td><td>ERROR</td><td>{@code *} or {@code ?} under StringEquals/StringEqualsIgnoreCase: a literal character, never a wildcard</td></tr>
 * <tr><td>IRSA-T004</td><td>ERROR (INFO with opt-in)</td><td>wildcard {@code sub} (StringLike/ArnLike/ArnEquals) pinned to one namespace/project, without the explicit opt-in</td></tr>
 * <tr><td>IRSA-T005</td><td>ERROR</td><td>{@code sub} pattern can match more than one namespace / project (any {@code *} or {@code ?} before the namespace or project path ends)</td></tr>
 * <tr><td>IRSA-T006</td><td>ERROR</td><td>ForAllValues/ForAnyValue on {@code sub} or {@code aud}</td></tr>
 * <tr><td>IRSA-T007</td><td>ERROR</td><td>Federated principal with {@code sts:AssumeRole} instead of {@code sts:AssumeRoleWithWebIdentity}</td></tr>
 * <tr><td>IRSA-T008</td><td>ERROR</td><td>Allow for principal {@code *} (or NotPrincipal)</td></tr>
 * <tr><td>IRSA-T009</td><td>ERROR</td><td>Pod Identity trust without {@code sts:TagSession}</td></tr>
 * <tr><td>IRSA-T010</td><td>WARNING</td><td>Pod Identity trust does not pin {@code aws:SourceAccount}</td></tr>
 * <tr><td>IRSA-T011</td><td>ERROR</td><td>trust policy larger than the size quota (default 2048, whitespace not counted)</td></tr>
 * <tr><td>IRSA-T012</td><td>WARNING</td><td>wildcard action or NotAction in a trust Allow statement</td></tr>
 * <tr><td>IRSA-T013</td><td>ERROR</td><td>unknown condition operator (IAM rejects it; the evaluator treats it as not matching)</td></tr>
 * <tr><td>IRSA-T014</td><td>ERROR</td><td>{@code aud} only constrained by a wildcard pattern (e.g. StringLike {@code *}): other audiences' tokens are accepted</td></tr>
 * <tr><td>IRSA-P001</td><td>ERROR</td><td>Allow of action {@code *}: full administrator</td></tr>
 * <tr><td>IRSA-P002</td><td>ERROR</td><td>Allow of {@code iam:*}: privilege escalation to administrator</td></tr>
 * <tr><td>IRSA-P003</td><td>ERROR</td><td>{@code iam:PassRole} on resource {@code *}</td></tr>
 * <tr><td>IRSA-P004</td><td>ERROR</td><td>privilege-escalation IAM actions (CreatePolicyVersion, SetDefaultPolicyVersion, Attach/Put{User,Group,Role}Policy, UpdateAssumeRolePolicy, CreateAccessKey, Create/UpdateLoginProfile, AddUserToGroup)</td></tr>
 * <tr><td>IRSA-P005</td><td>WARNING</td><td>{@code iam:PassRole} together with compute-creating actions (ec2:RunInstances, lambda:CreateFunction, ...)</td></tr>
 * <tr><td>IRSA-P006</td><td>WARNING</td><td>Allow with NotAction on scoped resources: grants every action not listed</td></tr>
 * <tr><td>IRSA-P007</td><td>ERROR</td><td>permissions policy larger than the size limit (default 6144)</td></tr>
 * <tr><td>IRSA-P008</td><td>WARNING</td><td>service-wide wildcard action (e.g. {@code ec2:*}) on resource {@code *}</td></tr>
 * <tr><td>IRSA-P009</td><td>ERROR</td><td>Allow with NotAction on resource {@code *} (or NotResource): administrator but for the listed actions</td></tr>
 * </table>
 */
public final class PolicyLinter {
    /** Every finding id this linter can emit, with its default severity and a one-line summary. */
    /**
     * One lint rule.
     *
     * @param id       the stable finding id
     * @param severity the severity it is reported with by default
     * @param summary  what it checks, in one line
     */
    public record Rule(String id, Severity severity, String summary) {
    }

    /** Every rule, in id order; the table above and LINT-RULES.md document each one. */
    public static final List<Rule> RULES = List.of(
            new Rule("IRSA-T001", Severity.ERROR, "web-identity Allow statement does not constrain <provider>:sub"),
            new Rule("IRSA-T002", Severity.ERROR, "web-identity Allow statement does not constrain <provider>:aud"),
            new Rule("IRSA-T003", Severity.ERROR, "* or ? under StringEquals is a literal character, never a wildcard"),
            new Rule("IRSA-T004", Severity.ERROR, "wildcard sub pinned to one namespace/project, without explicit opt-in (INFO with opt-in)"),
            new Rule("IRSA-T005", Severity.ERROR, "sub pattern can match more than one namespace / project"),
            new Rule("IRSA-T006", Severity.ERROR, "ForAllValues/ForAnyValue on sub or aud"),
            new Rule("IRSA-T007", Severity.ERROR, "Federated principal with sts:AssumeRole instead of sts:AssumeRoleWithWebIdentity"),
            new Rule("IRSA-T008", Severity.ERROR, "Allow for principal * (or NotPrincipal)"),
            new Rule("IRSA-T009", Severity.ERROR, "Pod Identity trust without sts:TagSession"),
            new Rule("IRSA-T010", Severity.WARNING, "Pod Identity trust does not pin aws:SourceAccount"),
            new Rule("IRSA-T011", Severity.ERROR, "trust policy larger than the size quota"),
            new Rule("IRSA-T012", Severity.WARNING, "wildcard action or NotAction in a trust Allow statement"),
            new Rule("IRSA-T013", Severity.ERROR, "unknown condition operator"),
            new Rule("IRSA-T014", Severity.ERROR, "aud only constrained by a wildcard pattern"),
            new Rule("IRSA-P001", Severity.ERROR, "Allow of action *: full administrator"),
            new Rule("IRSA-P002", Severity.ERROR, "Allow of iam:*: privilege escalation to administrator"),
            new Rule("IRSA-P003", Severity.ERROR, "iam:PassRole on resource *"),
            new Rule("IRSA-P004", Severity.ERROR, "privilege-escalation IAM actions"),
            new Rule("IRSA-P005", Severity.WARNING, "iam:PassRole together with compute-creating actions"),
            new Rule("IRSA-P006", Severity.WARNING, "Allow with NotAction on scoped resources"),
            new Rule("IRSA-P007", Severity.ERROR, "permissions policy larger than the size limit"),
            new Rule("IRSA-P008", Severity.WARNING, "service-wide wildcard action on resource *"),
            new Rule("IRSA-P009", Severity.ERROR, "Allow with NotAction on resource *: administrator but for the listed actions"));

    static final List<String> ESCALATION_ACTIONS = List.of(
            "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
            "iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy",
            "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy",
            "iam:UpdateAssumeRolePolicy", "iam:CreateAccessKey",
            "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AddUserToGroup");

    static final List<String> COMPUTE_ACTIONS = List.of(
            "ec2:RunInstances", "ec2:RequestSpotInstances", "ec2:CreateLaunchTemplate", "autoscaling:CreateLaunchConfiguration",
            "lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "ecs:RunTask", "ecs:StartTask", "ecs:RegisterTaskDefinition",
            "ecs:CreateService", "eks:CreateCluster", "eks:CreateNodegroup", "glue:CreateDevEndpoint", "glue:CreateJob",
            "cloudformation:CreateStack", "cloudformation:UpdateStack", "datapipeline:CreatePipeline",
            "sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob",
            "codebuild:CreateProject", "elasticmapreduce:RunJobFlow", "states:CreateStateMachine", "apprunner:CreateService",
            "batch:SubmitJob");

    private static final Set<String> KNOWN_OPERATORS = Set.of(
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
            "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
            "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
            "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
            "ArnNotLike", "Null");

    private PolicyLinter() {
    }

    /** Lints a trust policy with {@link LintOptions#defaults()}. */
    public static LintReport lintTrust(TrustPolicy policy) {
        return lintTrust(policy, LintOptions.defaults());
    }

    /**
     * Lints a trust policy (rules IRSA-T0xx). A policy built with the explicit pattern API counts as
     * opted in to wildcard subjects, as does {@link LintOptions#allowWildcardSubjects()}.
     */
    public static LintReport lintTrust(TrustPolicy policy, LintOptions options) {
        List<Finding> findings = new ArrayList<>();
        boolean optIn = options.allowWildcardSubjects() || policy.wildcardSubjectsRequested();
        IamPolicy iam = policy.toIamPolicy();
        for (int i = 0; i < iam.statements().size(); i++) {
            lintTrustStatement(iam.statements().get(i), "Statement[" + i + "]", optIn, findings);
        }
        int size = policy.size();
        if (size > options.trustSizeQuota()) {
            findings.add(new Finding("IRSA-T011", Severity.ERROR,
                    "the trust policy has " + size + " characters without whitespace; the quota is " + options.trustSizeQuota(),
                    "split subjects over several roles, use one StringLike pattern, or raise quota L-C07B4B0D (Role trust policy length) and set LintOptions.trustSizeQuota",
                    "$"));
        }
        return new LintReport(findings);
    }

    /** Lints a permissions policy with {@link LintOptions#defaults()}. */
    public static LintReport lintPermissions(PermissionsPolicy policy) {
        return lintPermissions(policy, LintOptions.defaults());
    }

    /** Lints a permissions policy (rules IRSA-P0xx). */
    public static LintReport lintPermissions(PermissionsPolicy policy, LintOptions options) {
        List<Finding> findings = new ArrayList<>();
        IamPolicy iam = policy.toIamPolicy();
        String passRoleAt = null;
        List<String> computeGranted = new ArrayList<>();
        for (int i = 0; i < iam.statements().size(); i++) {
            IamStatement st = iam.statements().get(i);
            String at = "Statement[" + i + "]";
            if (!IamEffect.ALLOW.equals(st.effect())) {
                continue;
            }
            List<String> actions = st.actions().stream().map(IamAction::value).toList();
            List<String> notActions = st.notActions().stream().map(IamAction::value).toList();
            boolean anyResource = st.resources().stream().map(IamResource::value).anyMatch("*"::equals) || !st.notResources().isEmpty();
            // Allow + NotAction grants every action of every service that no NotAction entry matches.
            Predicate<String> grants = notActions.isEmpty()
                    ? action -> actions.stream().anyMatch(a -> Wildcard.matchesIgnoreCase(a, action))
                    : action -> notActions.stream().noneMatch(a -> Wildcard.matchesIgnoreCase(a, action));
            boolean full = actions.stream().anyMatch(a -> a.equals("*"));
            boolean fullIam = !full && actions.stream().anyMatch(a -> a.equalsIgnoreCase("iam:*"));
            boolean allButListed = !notActions.isEmpty() && anyResource;
            if (allButListed) {
                findings.add(new Finding("IRSA-P009", Severity.ERROR,
                        "Allow with NotAction " + notActions + " on resource \"*\" grants every other action of every service on everything"
                                + (grants.test("iam:CreatePolicyVersion") ? ", iam included: the role is an administrator" : ""),
                        "list the actions the role needs in Action instead; to deny a few actions, keep an explicit Allow list and add a Deny statement",
                        at + ".NotAction"));
            } else if (!notActions.isEmpty()) {
                findings.add(new Finding("IRSA-P006", Severity.WARNING,
                        "Allow with NotAction " + notActions + " grants every other action of every service on the listed resources",
                        "list the actions the role needs in Action instead", at + ".NotAction"));
            }
            if (full) {
                findings.add(new Finding("IRSA-P001", Severity.ERROR,
                        "Allow of action \"*\" makes the role an administrator of the account",
                        "grant the specific service actions the job needs", at + ".Action"));
            }
            if (fullIam) {
                findings.add(new Finding("IRSA-P002", Severity.ERROR,
                        "Allow of \"iam:*\" lets the role escalate to administrator (create/attach policies, pass or create roles, create access keys)",
                        "grant only the IAM read actions it needs (e.g. iam:GetRole), or accept IRSA-P002 deliberately for an admin role", at + ".Action"));
            }
            for (String service : actions.stream().filter(a -> a.endsWith(":*") && !a.equalsIgnoreCase("iam:*")).toList()) {
                if (anyResource) {
                    findings.add(new Finding("IRSA-P008", Severity.WARNING,
                            "\"" + service + "\" on resource \"*\" grants every action of the service on everything",
                            "name the actions and scope Resource to the ARNs the job uses", at + ".Action"));
                }
            }
            for (String compute : COMPUTE_ACTIONS) {
                if (grants.test(compute)) {
                    computeGranted.add(compute);
                }
            }
            if (full || fullIam || allButListed) {
                continue; // the escalation paths below are already covered by P001/P002/P009 for this statement
            }
            List<String> escalation = ESCALATION_ACTIONS.stream().filter(grants).toList();
            if (!escalation.isEmpty()) {
                findings.add(new Finding("IRSA-P004", Severity.ERROR,
                        "grants privilege-escalation actions " + escalation + ": with them the role can give itself (or a user) more rights",
                        "remove them, or scope Resource to specific ARNs and add a permissions boundary", at + ".Action"));
            }
            boolean passRole = grants.test("iam:PassRole");
            if (passRole) {
                passRoleAt = passRoleAt == null ? at : passRoleAt;
                if (anyResource) {
                    findings.add(new Finding("IRSA-P003", Severity.ERROR,
                            "iam:PassRole on resource \"*\" lets the role hand any role (including admin roles) to a service",
                            "scope Resource to the role ARNs the job must pass, and add an iam:PassedToService condition", at + ".Resource"));
                }
            }
        }
        if (passRoleAt != null && !computeGranted.isEmpty()) {
            findings.add(new Finding("IRSA-P005", Severity.WARNING,
                    "iam:PassRole together with compute-creating actions " + computeGranted.stream().distinct().toList()
                            + ": the role can run code as any role it may pass",
                    "restrict PassRole to specific role ARNs with an iam:PassedToService condition, or drop the compute actions", passRoleAt));
        }
        int size = policy.size();
        if (size > options.permissionsSizeLimit()) {
            findings.add(new Finding("IRSA-P007", Severity.ERROR,
                    "the policy has " + size + " characters without whitespace; the limit is " + options.permissionsSizeLimit(),
                    "split it into several managed policies (6144 each) or use an inline policy (10240 per role in total)", "$"));
        }
        return new LintReport(findings);
    }

    /**
     * Refuses to continue with unaccepted ERROR findings.
     *
     * @throws LintException listing each ERROR finding whose id is not in {@code acceptedIds}
     */
    public static void requireClean(LintReport report, String... acceptedIds) {
        report.accept(acceptedIds).throwIfErrors();
    }

    // ---- trust statements -----------------------------------------------------------------------

    private static void lintTrustStatement(IamStatement st, String at, boolean wildcardOptIn, List<Finding> findings) {
        boolean allow = IamEffect.ALLOW.equals(st.effect());
        List<String> actions = st.actions().stream().map(IamAction::value).toList();

        for (IamCondition c : st.conditions()) {
            ConditionEvaluator.Operator op = ConditionEvaluator.Operator.parse(c.operator().value());
            String base = c.operator().value().replaceFirst("^(ForAnyValue|ForAllValues):", "").replaceFirst("IfExists$", "");
            if (!KNOWN_OPERATORS.contains(base)) {
                findings.add(new Finding("IRSA-T013", Severity.ERROR,
                        "unknown condition operator '" + c.operator().value() + "' (IAM rejects the policy; irsa's evaluator treats it as not matching)",
                        "use StringEquals for exact values or StringLike for patterns", at + ".Condition." + c.operator().value()));
            } else if ((base.equals("StringEquals") || base.equals("StringEqualsIgnoreCase")) && Wildcard.hasWildcard(c.value())) {
                findings.add(new Finding("IRSA-T003", Severity.ERROR,
                        "\"" + c.value() + "\" under " + c.operator().value() + " for " + c.key().value()
                                + " is compared literally: '*' and '?' are wildcards only in StringLike, so this never matches a real token",
                        "use StringLike (with LintOptions.allowWildcardSubjects / the pattern API) or spell out the exact value",
                        at + ".Condition." + c.operator().value() + "." + c.key().value()));
            }
            if (op.qualifier() != ConditionEvaluator.Qualifier.NONE && (isClaimKey(c.key().value(), "sub") || isClaimKey(c.key().value(), "aud"))) {
                findings.add(new Finding("IRSA-T006", Severity.ERROR,
                        c.operator().value() + " on " + c.key().value() + ": set operators on the single-valued sub/aud make the check vacuous "
                                + "(ForAllValues matches a missing key) or ambiguous",
                        "use plain StringEquals (or StringLike) on " + c.key().value(), at + ".Condition." + c.operator().value()));
            }
        }

        List<String> federated = st.principals().stream().filter(p -> IamPrincipalType.FEDERATED.equals(p.type()))
                .map(IamPrincipal::id).toList();
        boolean everyone = st.principals().stream().anyMatch(p -> IamPrincipal.ALL.equals(p) || "*".equals(p.id()));
        if (allow && (everyone || !st.notPrincipals().isEmpty())) {
            findings.add(new Finding("IRSA-T008", Severity.ERROR,
                    everyone ? "Allow for principal \"*\": anyone in any account may assume the role (conditions are the only guard)"
                            : "Allow with NotPrincipal admits every principal not listed",
                    "name the OIDC provider (Federated) or the service principal", at + ".Principal"));
        }
        if (allow && (actions.stream().anyMatch(a -> a.contains("*") || a.contains("?")) || !st.notActions().isEmpty())) {
            findings.add(new Finding("IRSA-T012", Severity.WARNING,
                    "wildcard action " + (st.notActions().isEmpty() ? actions : "NotAction " + st.notActions().stream().map(IamAction::value).toList())
                            + " in a trust statement admits more STS actions than the mode needs",
                    "use sts:AssumeRoleWithWebIdentity (IRSA, GitLab) or sts:AssumeRole + sts:TagSession (Pod Identity)", at + ".Action"));
        }

        if (allow && !federated.isEmpty()) {
            boolean assumeRole = actions.stream().anyMatch(a -> a.equalsIgnoreCase("sts:AssumeRole"));
            if (assumeRole) {
                findings.add(new Finding("IRSA-T007", Severity.ERROR,
                        "Federated principal " + federated + " with sts:AssumeRole: web-identity tokens are exchanged with sts:AssumeRoleWithWebIdentity, "
                                + "so the SDK's web-identity credentials provider is denied",
                        "set Action to sts:AssumeRoleWithWebIdentity", at + ".Action"));
            }
            for (String principal : federated) {
                String host = providerHost(principal);
                if (host == null) {
                    continue; // SAML provider: sub/aud rules do not apply
                }
                WebIdentityConditionLint.lint(st, at, host, wildcardOptIn, findings);
            }
        }

        boolean podIdentity = st.principals().stream()
                .anyMatch(p -> IamPrincipalType.SERVICE.equals(p.type()) && TrustPolicy.POD_IDENTITY_SERVICE.equals(p.id()));
        if (allow && podIdentity) {
            if (actions.stream().noneMatch(a -> ConditionEvaluator.actionMatches(a, "sts:TagSession"))) {
                findings.add(new Finding("IRSA-T009", Severity.ERROR,
                        "Pod Identity trust without sts:TagSession: EKS tags every pod identity session, so AssumeRole fails",
                        "add sts:TagSession next to sts:AssumeRole", at + ".Action"));
            }
            boolean pinned = st.conditions().stream().anyMatch(c -> c.key().value().equalsIgnoreCase("aws:SourceAccount")
                    && ConditionEvaluator.Operator.parse(c.operator().value()).base() != null
                    && !ConditionEvaluator.Operator.parse(c.operator().value()).base().negated());
            if (!pinned) {
                findings.add(new Finding("IRSA-T010", Severity.WARNING,
                        "Pod Identity trust does not pin aws:SourceAccount: clusters of any account could use the role through an association",
                        "add StringEquals aws:SourceAccount = <your account> (and ArnEquals aws:SourceArn = <cluster ARN>)", at + ".Condition"));
            }
        }
    }

    /** {@code host/path} of an OIDC provider principal, {@code null} for SAML providers. */
    private static String providerHost(String principal) {
        int i = principal.indexOf(":oidc-provider/");
        if (i >= 0) {
            return principal.substring(i + ":oidc-provider/".length());
        }
        if (principal.startsWith("arn:")) {
            return null;
        }
        return principal; // e.g. cognito-identity.amazonaws.com, accounts.google.com
    }

    private static boolean isClaimKey(String key, String claim) {
        return key.toLowerCase(Locale.ROOT).endsWith(":" + claim) && !key.toLowerCase(Locale.ROOT).startsWith("aws:");
    }
}
