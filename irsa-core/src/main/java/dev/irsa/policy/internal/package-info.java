/**
 * Implementation of {@link dev.irsa.policy}: not API, may change without notice.
 */
package dev.irsa.policy.internal;
