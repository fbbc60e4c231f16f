package io.keytrail.api;

/** The bearer tokens of the test profile (application-test.yml), for tests that call the HTTP API. */
public final class ApiTestTokens {
    public static final String USER = "test-user-token-0123456789";
    public static final String ADMIN = "test-admin-token-0123456789";

    private ApiTestTokens() {
    }

    /** The {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
