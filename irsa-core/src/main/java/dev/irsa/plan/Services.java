package dev.irsa.plan;

/**
 * The {@linkplain Resource#service() service} names the backends use, so rate limits and resources agree
 * on spelling.
 *
 * <pre>{@code
 * ExecutionBudget.create(b -> b.rateLimit(Services.IAM, RateLimit.perSecond(5)));
 * }</pre>
 */
public final class Services {
    public static final String IAM = "iam";
    public static final String STS = "sts";
    public static final String EKS = "eks";
    public static final String KUBERNETES = "kubernetes";
    public static final String GITLAB = "gitlab";
    public static final String HELM = "helm";

    private Services() {
    }
}
