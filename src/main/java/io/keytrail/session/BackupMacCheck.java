package io.keytrail.session;

/**
 * What the MSC4048 {@code mac2} of a restored backup entry said (ADR 0018). Stored by name in
 * {@code SessionImported.backupMac} and {@code SessionReceived.authenticatedBy}: never rename a constant.
 */
public enum BackupMacCheck {
    /** {@code mac2} verified under the backup MAC key: the entry was written by a holder of the backup key. */
    MSC4048_MAC2_VALID,
    /** {@code mac2} present but wrong (altered entry, or written without the backup key): reported, legacy. */
    MSC4048_MAC2_INVALID
}
