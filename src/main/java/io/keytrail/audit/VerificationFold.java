package io.keytrail.audit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;

/**
 * Each user's verification state as the store's own identity events establish it, folded in global
 * order while the re-verifier streams the store: which master keys the local user verified, which MSK is
 * current, and whether a verified MSK was ever current since the last withdrawal. The audit derives the
 * {@code masterKeyVerified}/{@code previouslyVerified} inputs of a decision from this fold, never from the
 * booleans recorded in the decision's evidence or in the identity events. Memory: one entry per user.
 */
final class VerificationFold {

    /** What the store says about one user's MSK at a point of the stream. */
    record Trust(boolean masterKeyVerified, boolean previouslyVerified) {
        static final Trust NONE = new Trust(false, false);
    }

    private static final class UserState {
        final Set<String> verifiedMasterKeys = new HashSet<>();
        String currentMasterKey;
        boolean everVerifiedCurrent;
    }

    private final Map<String, UserState> users = new HashMap<>();

    /** Folds one event; events that say nothing about verification are ignored. */
    void apply(Object event) {
        if (event instanceof CrossSigningKeysAccepted e) {
            UserState user = user(e.userId());
            user.currentMasterKey = e.masterKey().path("keys").elements().next().asText();
            if (user.verifiedMasterKeys.contains(user.currentMasterKey)) {
                user.everVerifiedCurrent = true;
            }
        } else if (event instanceof MskVerified e) {
            verified(e.userId(), e.masterKey());
        } else if (event instanceof MskVerifiedByUserSigningKey e) {
            verified(e.userId(), e.masterKey());
        } else if (event instanceof VerificationWithdrawn e) {
            UserState user = user(e.userId());
            user.verifiedMasterKeys.clear();
            user.everVerifiedCurrent = false;
        }
    }

    /** A verification event for exactly this user and MSK precedes this point (and was not withdrawn since). */
    boolean isVerified(String userId, String masterKey) {
        UserState user = users.get(userId);
        return user != null && masterKey != null && user.verifiedMasterKeys.contains(masterKey);
    }

    /** The trust inputs for a decision about {@code userId} resting on {@code masterKey} (null: no identity). */
    Trust trustIn(String userId, String masterKey) {
        UserState user = users.get(userId);
        if (user == null || masterKey == null) {
            return Trust.NONE;
        }
        boolean verified = user.verifiedMasterKeys.contains(masterKey);
        return new Trust(verified, !verified && user.everVerifiedCurrent);
    }

    private void verified(String userId, String masterKey) {
        UserState user = user(userId);
        user.verifiedMasterKeys.add(masterKey);
        if (masterKey.equals(user.currentMasterKey)) {
            user.everVerifiedCurrent = true;
        }
    }

    private UserState user(String userId) {
        return users.computeIfAbsent(userId, id -> new UserState());
    }
}
