/** Implementation details of the plan engine (ordering, token buckets). Not an API: may change at any time. */
package dev.irsa.plan.internal;
