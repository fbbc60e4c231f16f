package io.keytrail.api.process;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that spends its time waiting on child service JVMs (a kill -9, two nodes, a start that must
 * fail). It runs beside the rest of the suite, in the same test JVM, instead of holding it up: the other
 * classes keep the test JVM's core busy while the children use the other (issue 8, ADR 0026,
 * docs/testing.md). Classes of this lane run one after the other (the lock), never two sets of child
 * JVMs at once, and their own methods run in order on one thread (a class that holds a lock runs its
 * methods on its own thread, so {@code @TestMethodOrder} still holds).
 *
 * <p>A class in this lane must not touch the test JVM's global state that the other classes use:
 * {@code System.out}/{@code System.err}, system properties, the logging configuration, a Spring context
 * of the shared test engines, or a fixed port. It prints through {@link SuiteConsole}, never to
 * {@code System.out}, which a tool test may have swapped at that moment.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(ChildProcessLane.LOCK)
public @interface ChildProcessLane {
    String LOCK = "keytrail.child-service-jvms";
}
