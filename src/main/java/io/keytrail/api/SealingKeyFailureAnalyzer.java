package io.keytrail.api;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import io.keytrail.directory.SealingKeyCheck;

/**
 * A start refused because of the sealing keys is reported as one clear paragraph (Spring Boot's
 * "APPLICATION FAILED TO START"), not a wall of stack trace: the operator has a configuration to fix,
 * not a bug to report. Registered in META-INF/spring.factories.
 */
public final class SealingKeyFailureAnalyzer implements FailureAnalyzer {
    @Override
    public FailureAnalysis analyze(Throwable failure) {
        String problem = problem(failure);
        return problem == null ? null : new FailureAnalysis(problem,
                "Configure the sealing keys as README.md, section \"Keys at rest\", describes.", null);
    }

    /** The message of a sealing-key problem in {@code failure}'s causes, or null when it is something else. */
    static String problem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SealingKeyCheck.MissingSealingKeys || t instanceof SealingKeySettings.BadSealingKeys) {
                return t.getMessage();
            }
        }
        return null;
    }
}
