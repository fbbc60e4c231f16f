package io.keytrail.trust;

import io.keytrail.matrix.CrossSigningKey;

/**
 * The sender's cross-signing identity as we currently hold it: an MSK and an SSK that were accepted
 * (SSK validly signed by the MSK), plus our relation to it.
 *
 * @param masterKeyVerified  the local user verified exactly this MSK
 * @param previouslyVerified the local user verified an earlier MSK of this user, and this one is not verified
 */
public record OwnerIdentity(String userId, CrossSigningKey masterKey, CrossSigningKey selfSigningKey,
                            boolean masterKeyVerified, boolean previouslyVerified) {
}
