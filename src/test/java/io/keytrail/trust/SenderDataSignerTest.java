package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The signer identity and the rank of each sender data state, from their one definition. */
class SenderDataSignerTest {
    @Test
    void crossSignedStates_nameTheirSigner() {
        assertThat(Samples.violation().signer()).contains(Samples.known());
        assertThat(Samples.unverified().signer()).contains(Samples.known());
        assertThat(Samples.verified().signer()).contains(Samples.known());
    }

    @Test
    void statesWithoutCrossSigning_nameNoSigner() {
        assertThat(Samples.unknown(true, false).signer()).isEmpty();
        assertThat(Samples.deviceInfo(false).signer()).isEmpty();
    }

    @Test
    void onlyCrossSignedStatesBelowSenderVerified_awaitVerificationOfTheirSigner() {
        assertThat(Samples.violation().signerAwaitingVerification()).contains(Samples.known());
        assertThat(Samples.unverified().signerAwaitingVerification()).contains(Samples.known());
        assertThat(Samples.verified().signerAwaitingVerification()).isEmpty();
        assertThat(Samples.deviceInfo(false).signerAwaitingVerification()).isEmpty();
        assertThat(Samples.unknown(false, false).signerAwaitingVerification()).isEmpty();
    }

    @Test
    void ranks_followTheTrustOrderOfDesignSection2() {
        assertThat(Samples.unknown(false, false).rank()).isEqualTo(SenderData.UNKNOWN_DEVICE_RANK).isEqualTo(0);
        assertThat(Samples.deviceInfo(false).rank()).isEqualTo(SenderData.DEVICE_INFO_RANK).isEqualTo(1);
        assertThat(Samples.violation().rank()).isEqualTo(SenderData.VERIFICATION_VIOLATION_RANK).isEqualTo(2);
        assertThat(Samples.unverified().rank()).isEqualTo(SenderData.SENDER_UNVERIFIED_RANK).isEqualTo(3);
        assertThat(Samples.verified().rank()).isEqualTo(SenderData.SENDER_VERIFIED_RANK).isEqualTo(4);
    }
}
