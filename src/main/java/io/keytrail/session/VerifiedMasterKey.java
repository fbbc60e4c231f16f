package io.keytrail.session;

/**
 * The evidence of a verification upgrade: the local user verified {@code masterKey} of {@code userId}.
 * It names the verified key, so an auditor can find the verification event ({@code MskVerified} or
 * {@code MskVerifiedByUserSigningKey} for that user and key) that must precede the upgrade in the store.
 */
public record VerifiedMasterKey(String userId, String masterKey) {
}
