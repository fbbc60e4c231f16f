package io.keytrail.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP API's bearer tokens ({@code keytrail.api.*}); where one is empty it is read from, or
 * generated into, a file in the data directory (see {@link ApiTokens}).
 *
 * @param token      the user token: inputs, sessions, decrypt, trail, as-of
 * @param adminToken the admin token: all of that, plus export and re-verification
 */
@ConfigurationProperties(prefix = "keytrail.api")
record ApiProperties(String token, String adminToken) {
    @Override
    public String toString() {
        return "ApiProperties[redacted]";
    }
}
