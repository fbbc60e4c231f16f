package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;

/** The audit's verification fold, on identity events alone; the trust booleans inside the events are ignored. */
class VerificationFoldTest {
    private static final String ALICE = "@alice:fold.test";
    private static final IdentityTrust CLAIMS_VERIFIED = new IdentityTrust(true, true);

    private static CrossSigningKeysAccepted accepted(String masterKey) {
        ObjectNode msk = new ObjectMapper().createObjectNode();
        msk.putObject("keys").put("ed25519:" + masterKey, masterKey);
        return new CrossSigningKeysAccepted(ALICE, Instant.EPOCH, msk, null, null, null, CLAIMS_VERIFIED);
    }

    @Test
    void nothingVerified_givesNoTrust_whateverTheEventsClaim() {
        VerificationFold fold = new VerificationFold();
        fold.apply(accepted("MSK1"));

        assertThat(fold.trustIn(ALICE, "MSK1")).isEqualTo(new VerificationFold.Trust(false, false));
        assertThat(fold.isVerified(ALICE, "MSK1")).isFalse();
    }

    @Test
    void aVerifiedKey_isVerified_andAfterItIsReplaced_theNewKeyIsPreviouslyVerified() {
        VerificationFold fold = new VerificationFold();
        fold.apply(accepted("MSK1"));
        fold.apply(new MskVerified(ALICE, "MSK1", IdentityTrust.NONE));
        assertThat(fold.trustIn(ALICE, "MSK1")).isEqualTo(new VerificationFold.Trust(true, false));

        fold.apply(accepted("MSK2"));

        assertThat(fold.trustIn(ALICE, "MSK2")).isEqualTo(new VerificationFold.Trust(false, true));
        assertThat(fold.isVerified(ALICE, "MSK1")).isTrue();
        assertThat(fold.trustIn("@bob:fold.test", "MSK1")).isEqualTo(new VerificationFold.Trust(false, false));
    }

    @Test
    void withdrawal_forgetsEveryVerifiedKeyAndThePreviouslyVerifiedLatch() {
        VerificationFold fold = new VerificationFold();
        fold.apply(accepted("MSK1"));
        fold.apply(new MskVerified(ALICE, "MSK1", IdentityTrust.NONE));
        fold.apply(accepted("MSK2"));

        fold.apply(new VerificationWithdrawn(ALICE, CLAIMS_VERIFIED));

        assertThat(fold.isVerified(ALICE, "MSK1")).isFalse();
        assertThat(fold.trustIn(ALICE, "MSK2")).isEqualTo(new VerificationFold.Trust(false, false));
    }

    @Test
    void aKeyVerifiedBeforeItBecomesCurrent_isVerifiedOnceAccepted() {
        VerificationFold fold = new VerificationFold();
        fold.apply(new MskVerified(ALICE, "MSK1", IdentityTrust.NONE));
        fold.apply(accepted("MSK1"));

        assertThat(fold.trustIn(ALICE, "MSK1")).isEqualTo(new VerificationFold.Trust(true, false));
    }
}
