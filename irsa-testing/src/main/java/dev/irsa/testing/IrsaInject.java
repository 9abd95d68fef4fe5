package dev.irsa.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of an {@link IrsaSandboxTest} class to receive the sandbox or one of its clients (see
 * {@link IrsaSandboxTest} for the types). Instance fields are set before each test; static fields, with
 * the per-class lifecycle, before all tests.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IrsaInject {
}
