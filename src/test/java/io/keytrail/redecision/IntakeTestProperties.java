package io.keytrail.redecision;

/** Shared Spring test properties of the intake tests (one cached context for all of them). */
final class IntakeTestProperties {
    /** A fixed vault key, so the context never generates a development key file under ./data. */
    static final String VAULT_KEY = "keytrail.session-key-encryption-key=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";

    private IntakeTestProperties() {
    }
}
