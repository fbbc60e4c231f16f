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

    /** Clear the user's verified and previously-verified marks. */
    public record WithdrawVerification(@TargetAggregateIdentifier String userId) {
    }
}
