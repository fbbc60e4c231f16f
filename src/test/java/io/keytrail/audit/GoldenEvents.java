package io.keytrail.audit;

import io.keytrail.trust.DiscardCause;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.errors.RefusalCode;
import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.KeysQueryAbandoned;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.identity.IdentityEvents.KeysQueryIgnored;
import io.keytrail.identity.IdentityEvents.KeysRejected;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;
import io.keytrail.identity.KeyRejection;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.ImportSource;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.session.SessionRef;
import io.keytrail.session.Trigger;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * One realistic, fully populated instance of every stored event type, built from deterministic
 * fixtures (seeded accounts, a Megolm session from fixed secrets, a vault whose nonces are fixed), so
 * that serializing it gives the same bytes on every run. The golden files under
 * {@code src/test/resources/events/} are these events as revision 1 stores them.
 */
final class GoldenEvents {
    static final String ROOM = "!golden:example.org";
    static final String PHONE = "ALICEPHONE";
    static final String LAPTOP = "ALICELAPTOP";
    static final TestAccount ALICE = TestAccount.create("@alice:example.org", "golden-alice", PHONE, LAPTOP);
    static final TestAccount ME = TestAccount.create("@me:example.org", "golden-me", "MYDEVICE");
    static final Instant REQUESTED_AT = Instant.parse("2026-03-01T12:00:00.123Z");
    static final Instant NEWEST_APPLIED = Instant.parse("2026-03-01T12:00:05Z");

    private GoldenEvents() {
    }

    /** Every stored event type, by simple class name, in a fixed order. */
    static Map<String, Object> all() {
        InboundGroupSession megolm = megolm();
        String sessionId = megolm.sessionId();
        String aggregateId = new SessionRef(ROOM, sessionId).aggregateId();
        SessionKeyVault vault = fixedNonceVault();
        // The revision-1 files were written in the v1 form (sealed directly by the sealing key); they keep it.
        String sealedAt0 = vault.sealV1(megolm.exportAt(0).toBase64(), aggregateId);
        String sealedAt3 = vault.sealV1(megolm.exportAt(3).toBase64(), aggregateId);
        String sealedUnderDataKey = vault.seal(megolm.exportAt(0).toBase64(), aggregateId);
        String curve = ALICE.device(PHONE).curve25519().toBase64();
        String ed25519 = ALICE.device(PHONE).ed25519().publicKey().toBase64();
        ObjectNode senderDeviceKeys = ALICE.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED);
        DecisionEvidence evidence = new DecisionEvidence(senderDeviceKeys,
                ALICE.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED), ALICE.masterKeyJson(),
                ALICE.selfSigningKeyJson(MasterSignature.VALID), false, true);
        KnownSenderData known = new KnownSenderData(ALICE.userId(), PHONE, ALICE.masterKey().publicKey());
        SenderData deviceInfo = new SenderData.DeviceInfo(ALICE.deviceKeysJson(PHONE, DeviceSigning.SELF_SIGNED_ONLY),
                false);
        String masterKey = ALICE.masterKey().publicKey().toBase64();
        IdentityTrust verifiedTrust = new IdentityTrust(true, false);

        Map<String, Object> events = new LinkedHashMap<>();
        events.put("SessionReceived", new SessionReceived(ROOM, sessionId, ALICE.userId(), curve, ed25519, true, 0,
                sealedAt0, new SenderData.VerificationViolation(known), Rule.CROSS_SIGNED_PREVIOUSLY_VERIFIED,
                evidence));
        events.put("SessionImported", new SessionImported(ROOM, sessionId, ImportSource.FORWARDED, curve, ed25519,
                List.of(ALICE.device(LAPTOP).curve25519().toBase64()), true, 3, sealedAt3, SenderData.legacy(),
                Rule.IMPORTED));
        events.put("SessionReceivedOverImport", new SessionReceivedOverImport(ROOM, sessionId, ALICE.userId(), curve,
                ed25519, true, true, 0, sealedAt0, SenderData.legacy(), new SenderData.VerificationViolation(known),
                Rule.CROSS_SIGNED_PREVIOUSLY_VERIFIED, evidence));
        events.put("SenderDataChanged", new SenderDataChanged(ROOM, sessionId, deviceInfo,
                new SenderData.SenderUnverified(known), Rule.CROSS_SIGNED_UNVERIFIED, Trigger.DEVICE_KEYS_FETCHED, evidence));
        events.put("SessionDiscarded", new SessionDiscarded(ROOM, sessionId, DiscardCause.TAMPERING, null,
                Rule.CROSS_SIGNING_SIGNATURE_INVALID, "device ALICEPHONE (ed25519:" + PHONE
                        + "): the self-signing key's signature does not verify", evidence));
        events.put("RatchetImproved", new RatchetImproved(ROOM, sessionId, 0, sealedAt0));
        events.put("SessionCopyRefused", new SessionCopyRefused(ROOM, sessionId, RefusalCode.MISMATCHED_IDENTITY_KEYS,
                "a copy of this session from another creator key", ALICE.userId(),
                ALICE.device(LAPTOP).curve25519().toBase64(), ALICE.device(LAPTOP).ed25519().publicKey().toBase64()));
        events.put("SessionCopyKept", new SessionCopyKept(ROOM, sessionId, RatchetComparison.WORSE, SenderData.legacy()));
        events.put("SessionForgotten", new SessionForgotten(ROOM, sessionId, "cli: operator",
                "the user asked for the room's history to be erased"));
        events.put("SessionKeyResealed", new SessionKeyResealed(ROOM, sessionId, sealedUnderDataKey));
        events.put("SenderKeysWanted", new SenderKeysWanted(ROOM, sessionId, ALICE.userId(), curve, false));
        events.put("RoomKeyRefused", new RoomKeyRefused(ROOM, sessionId, ALICE.userId(), curve,
                RefusalCode.MISMATCHED_IDENTITY_KEYS, "the device's ed25519 key differs from the claimed one", evidence));

        Map<String, ObjectNode> devices = new LinkedHashMap<>();
        devices.put(PHONE, ALICE.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED));
        devices.put(LAPTOP, ALICE.deviceKeysJson(LAPTOP, DeviceSigning.SELF_SIGNED_ONLY));
        events.put("DeviceKeysFetched", new DeviceKeysFetched(ALICE.userId(), REQUESTED_AT, true, devices,
                ordered(PHONE), ordered(LAPTOP), ordered("OLDDEVICE"), ordered(LAPTOP)));
        events.put("CrossSigningKeysAccepted", new CrossSigningKeysAccepted(ALICE.userId(), REQUESTED_AT,
                ALICE.masterKeyJson(), ALICE.selfSigningKeyJson(MasterSignature.VALID),
                ALICE.userSigningKeyJson(MasterSignature.VALID),
                ALICE.withNewIdentity("before").masterKey().publicKey().toBase64(), new IdentityTrust(false, true)));
        events.put("KeysRejected", new KeysRejected(ALICE.userId(), REQUESTED_AT, List.of(
                new KeyRejection("self_signing_key", "BAD_MASTER_SIGNATURE", "ed25519:" + masterKey,
                        "the master key's signature on the self-signing key does not verify", true,
                        ALICE.selfSigningKeyJson(MasterSignature.BAD)))));
        events.put("KeysQueryIgnored", new KeysQueryIgnored(ALICE.userId(), REQUESTED_AT, NEWEST_APPLIED));
        events.put("KeysQueryFailed", new KeysQueryFailed(ALICE.userId(), REQUESTED_AT, 2,
                "HTTP 502 from the homeserver"));
        events.put("KeysQueryAbandoned", new KeysQueryAbandoned(ALICE.userId(), 12,
                ordered(ALICE.device(LAPTOP).curve25519().toBase64())));
        events.put("MskVerified", new MskVerified(ALICE.userId(), masterKey, verifiedTrust));
        events.put("MskVerifiedByUserSigningKey", new MskVerifiedByUserSigningKey(ALICE.userId(), masterKey,
                ME.userSigningKeyJson(MasterSignature.VALID), ALICE.masterKeyJson(), verifiedTrust));
        events.put("VerificationWithdrawn", new VerificationWithdrawn(ALICE.userId(), IdentityTrust.NONE));
        return events;
    }

    private static Set<String> ordered(String... values) {
        return new LinkedHashSet<>(Arrays.asList(values));
    }

    private static InboundGroupSession megolm() {
        byte[] ratchet = new byte[MegolmRatchet.LENGTH];
        Arrays.fill(ratchet, (byte) 0x42);
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x24);
        OutboundGroupSession out = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet),
                Ed25519KeyPair.fromSeed(seed));
        return InboundGroupSession.fromSessionKey(out.sessionKey());
    }

    /** A vault with a fixed test key and fixed nonces: sealed values are the same on every run. */
    private static SessionKeyVault fixedNonceVault() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 9);
            }
        };
        return new SessionKeyVault(key, fixed);
    }
}
