/**
 * A simulated EKS Kubernetes API server for tests: {@link dev.irsa.testing.kubernetes.SimulatedEksCluster}
 * runs fabric8's mock server in CRUD mode on 127.0.0.1 behind a {@link dev.irsa.testing.kubernetes.PodIdentityWebhook}
 * that mutates pods like the EKS pod identity webhook and answers TokenRequests with tokens from a
 * {@link dev.irsa.testing.kubernetes.ServiceAccountTokenMinter}.
 */
package dev.irsa.testing.kubernetes;
