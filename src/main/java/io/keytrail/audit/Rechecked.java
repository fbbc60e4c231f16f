package io.keytrail.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.Decision;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataFinder;

/**
 * One decision re-run from its recorded evidence, after re-verifying the signatures the evidence
 * claims: device self-signatures and the MSK's signature on the SSK. Whether the MSK was verified is not
 * read from the evidence: the caller passes what the store's verification events say ({@code trust}).
 *
 * @param senderData the decided sender data, or null when the decision is a refusal or a discard
 * @param problem    why the evidence itself does not hold up, or null
 */
record Rechecked(Rule rule, SenderData senderData, String problem) {

    /**
     * Re-runs are remembered for the last {@value #REMEMBERED} distinct inputs: the result is a pure function of
     * them, and a store holds thousands of decisions resting on the same few signed keys (many sessions from
     * one device), so most decisions need no signature verified again. The inputs are compared whole (the
     * signed JSON deeply, not by identity or by a hash of it), so a changed byte is a new input.
     */
    private static final int REMEMBERED = 128;

    private record Inputs(String sender, String senderKey, String claimedEd25519, boolean imported,
                          DecisionEvidence evidence, VerificationFold.Trust trust) {
    }

    private static final Map<Inputs, Rechecked> REMEMBERED_RUNS = new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Inputs, Rechecked> eldest) {
            return size() > REMEMBERED;
        }
    };

    static Rechecked run(String sender, String senderKey, String claimedEd25519, boolean imported,
                         DecisionEvidence evidence, VerificationFold.Trust trust) {
        Inputs inputs = new Inputs(sender, senderKey, claimedEd25519, imported, evidence, trust);
        synchronized (REMEMBERED_RUNS) {
            Rechecked known = REMEMBERED_RUNS.get(inputs);
            if (known != null) {
                return known;
            }
        }
        Rechecked result = compute(sender, senderKey, claimedEd25519, imported, evidence, trust);
        synchronized (REMEMBERED_RUNS) {
            REMEMBERED_RUNS.put(inputs, result);
        }
        return result;
    }

    private static Rechecked compute(String sender, String senderKey, String claimedEd25519, boolean imported,
                                     DecisionEvidence evidence, VerificationFold.Trust trust) {
        try {
            String bad = badSignature(evidence);
            if (bad != null) {
                return new Rechecked(null, null, bad);
            }
            DecisionEvidence believed = new DecisionEvidence(evidence.senderDeviceKeys(), evidence.storedDevice(),
                    evidence.masterKey(), evidence.selfSigningKey(), trust.masterKeyVerified(),
                    trust.previouslyVerified(), evidence.storedDeviceStanding());
            Decision decision = SenderDataFinder.decide(believed.toEvidence(sender, senderKey, claimedEd25519,
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
        return badStanding(evidence);
    }

    /**
     * The stored device's standing is a conclusion of the arrival checks; the audit does not believe it
     * but re-derives it from the signed JSON recorded beside it.
     */
    private static String badStanding(DecisionEvidence evidence) {
        DeviceStanding standing = evidence.storedDeviceStanding();
        if (standing == null || evidence.storedDevice() == null) {
            return null;
        }
        DeviceKeys device = DeviceKeys.parse(evidence.storedDevice());
        if (standing.tainted()) {
            if (standing.refusedSelfSigningKey() == null || standing.refusingMasterKey() == null) {
                return "the evidence names no refused self-signing key and master key to re-check the taint";
            }
            CrossSigningKey refused = CrossSigningKey.parse(standing.refusedSelfSigningKey());
            CrossSigningKey msk = CrossSigningKey.parse(standing.refusingMasterKey());
            if (refused.signatureBy(device.userId(), msk.publicKey()) != SignatureCheck.INVALID) {
                return "the refused self-signing key in the evidence carries no bad master-key signature";
            }
            if (device.signatureBy(device.userId(), refused.publicKey()) != SignatureCheck.VALID) {
                return "device " + device.deviceId() + " is not validly signed by the refused self-signing key";
            }
            return null;
        }
        if (evidence.selfSigningKey() != null) {
            CrossSigningKey ssk = CrossSigningKey.parse(evidence.selfSigningKey());
            var recorded = standing.signatureBy(ssk.keyId());
            if (recorded.isPresent() && recorded.get() != device.signatureBy(device.userId(), ssk.publicKey())) {
                return "device " + device.deviceId() + "'s recorded signature check by " + ssk.keyId()
                        + " does not hold for the recorded keys";
            }
        }
        return null;
    }
}
