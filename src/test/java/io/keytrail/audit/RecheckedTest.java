package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/** Re-runs are remembered per distinct input; a changed byte of signed JSON is a new input, checked again. */
class RecheckedTest {
    private static final TestAccount GRACE = TestAccount.create("@grace:rechecked.test", "grace-rechecked", "PHONE");

    private static DecisionEvidence evidence(ObjectNode device) {
        return new DecisionEvidence(null, device, GRACE.masterKeyJson(), GRACE.selfSigningKeyJson(MasterSignature.VALID),
                false, false);
    }

    private static Rechecked run(DecisionEvidence evidence) {
        return Rechecked.run(GRACE.userId(), GRACE.device("PHONE").curve25519().toBase64(),
                GRACE.device("PHONE").ed25519().publicKey().toBase64(), false, evidence, VerificationFold.Trust.NONE);
    }

    @Test
    void theSameInputsTwice_giveTheSameAnswer_andAnEditAfterSigningIsCaughtEvenAfterAValidRun() {
        ObjectNode device = GRACE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED);
        Rechecked first = run(evidence(device));
        Rechecked again = run(evidence(device.deepCopy()));

        ObjectNode edited = device.deepCopy();
        edited.put("device_id_note", "edited after signing");
        Rechecked tampered = run(evidence(edited));

        assertThat(first.problem()).isNull();
        assertThat(first.rule()).isEqualTo(Rule.CROSS_SIGNED_UNVERIFIED);
        assertThat(first.senderData()).isInstanceOf(SenderData.SenderUnverified.class);
        assertThat(again).isEqualTo(first);
        assertThat(tampered.problem()).contains("not validly self-signed");
    }

    @Test
    void theSameEvidenceUnderAnotherVerificationState_isDecidedAgain() {
        DecisionEvidence evidence = evidence(GRACE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED));
        Rechecked unverified = run(evidence);
        Rechecked verified = Rechecked.run(GRACE.userId(), GRACE.device("PHONE").curve25519().toBase64(),
                GRACE.device("PHONE").ed25519().publicKey().toBase64(), false, evidence,
                new VerificationFold.Trust(true, false));

        assertThat(unverified.rule()).isEqualTo(Rule.CROSS_SIGNED_UNVERIFIED);
        assertThat(verified.rule()).isEqualTo(Rule.CROSS_SIGNED_VERIFIED);
    }
}
