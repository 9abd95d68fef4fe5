/** Implementation of dev.irsa.binding: plan resources, lookups and verify checks. Not API. */
package dev.irsa.binding.internal;
