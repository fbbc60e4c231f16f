package io.keytrail.audit;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.Decision;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataFinder;

/**
 * One decision re-run from its recorded evidence, after re-verifying the signatures the evidence
 * claims: device self-signatures and the MSK's signature on the SSK.
 *
 * @param senderData the decided sender data, or null when the decision is a refusal or a discard
 * @param problem    why the evidence itself does not hold up, or null
 */
record Rechecked(Rule rule, SenderData senderData, String problem) {

    static Rechecked run(String sender, String senderKey, String claimedEd25519, boolean imported,
                         DecisionEvidence evidence) {
        try {
            String bad = badSignature(evidence);
            if (bad != null) {
                return new Rechecked(null, null, bad);
            }
            Decision decision = SenderDataFinder.decide(evidence.toEvidence(sender, senderKey, claimedEd25519,
                    imported));
            SenderData data = decision instanceof Decision.Decided d ? d.senderData() : null;
            return new Rechecked(decision.rule(), data, null);
        } catch (RuntimeException e) {
            return new Rechecked(null, null, "the recorded evidence cannot be read: " + e.getMessage());
        }
    }

    private static String badSignature(DecisionEvidence evidence) {
        for (var json : new com.fasterxml.jackson.databind.node.ObjectNode[] {evidence.senderDeviceKeys(),
                evidence.storedDevice()}) {
            if (json != null) {
                DeviceKeys keys = DeviceKeys.parse(json);
                if (keys.selfSignature() != SignatureCheck.VALID) {
                    return "device " + keys.deviceId() + " in the evidence is not validly self-signed";
                }
            }
        }
        if (evidence.masterKey() != null && evidence.selfSigningKey() != null) {
            CrossSigningKey msk = CrossSigningKey.parse(evidence.masterKey());
            CrossSigningKey ssk = CrossSigningKey.parse(evidence.selfSigningKey());
            if (ssk.signatureBy(msk.userId(), msk.publicKey()) != SignatureCheck.VALID) {
                return "the self-signing key in the evidence is not validly signed by the master key";
            }
        }
        return null;
    }
}
