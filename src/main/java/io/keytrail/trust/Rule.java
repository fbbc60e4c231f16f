package io.keytrail.trust;

/**
 * The step of the decision flow that produced an outcome (see {@link SenderDataFinder}). Recorded in
 * events as the "rule" of the audit trail, so its names are stable: never rename a constant.
 */
public enum Rule {
    // filled in with the finder
}
