package dev.irsa.aws;

import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;

/** Trust and permissions documents for the executor tests, built with the SDK's policy builder. */
final class Trusts {
    private Trusts() {
    }

    static String serviceAccount(ClusterIdentity id, String namespace, String serviceAccount) {
        String hostPath = id.issuerHostPath();
        return IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW)
                .addPrincipal(IamPrincipalType.FEDERATED, id.providerArn())
                .addAction("sts:AssumeRoleWithWebIdentity")
                .addCondition(IamConditionOperator.STRING_EQUALS, hostPath + ":sub", "system:serviceaccount:" + namespace + ":" + serviceAccount)
                .addCondition(IamConditionOperator.STRING_EQUALS, hostPath + ":aud", "sts.amazonaws.com")).build().toJson();
    }

    static String permissions(String... actions) {
        return IamPolicy.builder().version("2012-10-17").addStatement(s -> {
            s.effect(IamEffect.ALLOW).addResource("*");
            for (String a : actions) {
                s.addAction(a);
            }
        }).build().toJson();
    }

    static DesiredRole role(ClusterIdentity id, String name, String namespace, String serviceAccount) {
        return DesiredRole.builder().name(name).path("/irsa/").description("irsa role for " + namespace + "/" + serviceAccount)
                .trustPolicyJson(serviceAccount(id, namespace, serviceAccount))
                .putInlinePolicy("permissions", permissions("eks:DescribeCluster"))
                .addManagedPolicyArn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .putTag("team", "platform")
                .build();
    }
}
