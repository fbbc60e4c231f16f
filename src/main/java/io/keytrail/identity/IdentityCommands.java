package io.keytrail.identity;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands of the per-user identity aggregate. */
public final class IdentityCommands {
    private IdentityCommands() {
    }

    /**
     * Record one user's part of a {@code /keys/query} response.
     *
     * @param requestedAt when the query was sent: a response to an older request than the newest applied
     *                    one is ignored (the spec's warning about out-of-order queries)
     */
    public record RecordKeysQuery(@TargetAggregateIdentifier String userId, Instant requestedAt,
                                  UserKeysSnapshot snapshot) {
    }

    /** The local user verified exactly this master key of {@code userId}. */
    public record VerifyMasterKey(@TargetAggregateIdentifier String userId, String masterKey) {
    }

    /** A {@code /keys/query} for the user failed or did not answer for them; the slow lane retries. */
    public record RecordKeysQueryFailure(@TargetAggregateIdentifier String userId, Instant requestedAt, int attempt,
                                         String reason) {
    }

    /** The slow lane stops asking: attempts ran out while devices were still missing. */
    public record AbandonKeysQuery(@TargetAggregateIdentifier String userId, int attempts,
                                   java.util.Set<String> missingCurveKeys) {
    }

    /**
     * Our own user-signing key (USK) signed {@code masterKey} of {@code userId}, and we verified our own
     * master key: the local user verified this user through cross-signing (design section 1).
     *
     * @param ownUserSigningKey our accepted USK, as received (signed by our MSK)
     * @param signedMasterKey   the user's MSK as received, carrying the USK's signature
     */
    public record AcceptUserSigningKeyVerification(@TargetAggregateIdentifier String userId, String masterKey,
                                                   com.fasterxml.jackson.databind.node.ObjectNode ownUserSigningKey,
                                                   com.fasterxml.jackson.databind.node.ObjectNode signedMasterKey) {
    }

    /** Clear the user's verified and previously-verified marks. */
    public record WithdrawVerification(@TargetAggregateIdentifier String userId) {
    }
}
