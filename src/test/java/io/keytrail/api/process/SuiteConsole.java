package io.keytrail.api.process;

import java.io.PrintStream;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The test JVM's standard output as it was when the test plan started, before any test ran: where the
 * classes of the {@link ChildProcessLane} print their summary lines. {@code System.out} itself is no
 * place for them: while they run, a tool test on the suite thread may have swapped it for a command's
 * standard error (the tools do, {@code CliContext.onStore}), and a line of ours in there broke that
 * test's count of its lines. Registered as a JUnit Platform listener
 * ({@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}); under surefire the
 * stream is surefire's capture, so the lines still reach the class's report.
 */
public final class SuiteConsole implements TestExecutionListener {
    private static volatile PrintStream out;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (out == null) {
            out = System.out;
        }
    }

    /** As {@link PrintStream#printf}, on the stream of the suite's start (standard output when none was seen). */
    static void printf(String format, Object... args) {
        PrintStream stream = out;
        (stream != null ? stream : System.out).printf(format, args);
    }
}
