package io.keytrail.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.axonframework.test.aggregate.AggregateTestFixture;

import org.axonframework.test.matchers.Matchers;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.trust.Rule;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionCommands.ImportSession;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;

/**
 * Real keys and real Megolm sessions for the {@link MegolmSession} given/when/then tests, plus a small
 * predicate matcher: sealed session keys carry a random nonce, so events are matched on their fields.
 */
final class SessionFixtures {
    static final String ROOM = "!room:example.org";
    static final String PHONE = "ALICEPHONE";
    static final String LAPTOP = "ALICELAPTOP";
    static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", PHONE, LAPTOP);
    static final TestAccount ALICE_RESET = ALICE.withNewIdentity("reset");

    private SessionFixtures() {
    }

    /** The aggregate's given/when/then fixture, with the vault its handlers seal session keys with. */
    static AggregateTestFixture<MegolmSession> aggregate(SessionKeyVault vault) {
        AggregateTestFixture<MegolmSession> fixture = new AggregateTestFixture<>(MegolmSession.class);
        fixture.registerInjectableResource(vault);
        return fixture;
    }

    static SessionKeyVault vault() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return new SessionKeyVault(key, new SecureRandom());
    }

    /** A real Megolm session from fixed secrets, as the creating device holds it. */
    record Megolm(String label, OutboundGroupSession outbound, InboundGroupSession inbound) {
        static Megolm of(String label) {
            return withRatchet(label, label);
        }

        /** Same session id (signing key) as {@code of(label)}, but a ratchet that does not derive from it. */
        static Megolm unconnectedTwinOf(String label) {
            return withRatchet(label, label + "/twin");
        }

        private static Megolm withRatchet(String label, String ratchetLabel) {
            byte[] state = new byte[MegolmRatchet.LENGTH];
            for (int i = 0; i < state.length; i += 32) {
                System.arraycopy(sha256(ratchetLabel + "/ratchet/" + i), 0, state, i, 32);
            }
            OutboundGroupSession out = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, state),
                    Ed25519KeyPair.fromSeed(sha256(label + "/signing")));
            return new Megolm(label, out, InboundGroupSession.fromSessionKey(out.sessionKey()));
        }

        String sessionId() {
            return outbound.sessionId();
        }

        String id() {
            return new SessionRef(ROOM, sessionId()).aggregateId();
        }

        /** The session in export format starting at {@code index} (secret). */
        String exportAt(long index) {
            return inbound.exportAt(index).toBase64();
        }
    }

    /** Olm delivered a room key for {@code megolm} from {@code deviceId} of {@code sender}, starting at {@code index}. */
    static ReceiveSession receive(Megolm megolm, long index, TestAccount sender, String deviceId,
                                  DecisionEvidence evidence) {
        return new ReceiveSession(megolm.id(), ROOM, megolm.sessionId(), sender.userId(), curve(sender, deviceId),
                ed25519(sender, deviceId), false, index, megolm.exportAt(index), evidence.senderDeviceKeys(), evidence);
    }

    static ImportSession importOf(Megolm megolm, long index, TestAccount claimedSender, String deviceId) {
        return new ImportSession(megolm.id(), ROOM, megolm.sessionId(), ImportSource.KEY_EXPORT,
                curve(claimedSender, deviceId), ed25519(claimedSender, deviceId), List.of(), false, index,
                megolm.exportAt(index));
    }

    /** The event the aggregate applies for a first receipt (the sealed key made with {@code vault}). */
    static SessionReceived received(SessionKeyVault vault, Megolm megolm, long index, TestAccount sender,
                                    String deviceId, SenderData data, DecisionEvidence evidence) {
        return new SessionReceived(ROOM, megolm.sessionId(), sender.userId(), curve(sender, deviceId),
                ed25519(sender, deviceId), false, index, vault.seal(megolm.exportAt(index), megolm.id()), data,
                Rule.NO_DEVICE, evidence);
    }

    static SessionImported imported(SessionKeyVault vault, Megolm megolm, long index, TestAccount claimedSender,
                                    String deviceId) {
        return new SessionImported(ROOM, megolm.sessionId(), ImportSource.KEY_EXPORT, curve(claimedSender, deviceId),
                ed25519(claimedSender, deviceId), List.of(), false, index,
                vault.seal(megolm.exportAt(index), megolm.id()), SenderData.legacy(), Rule.IMPORTED);
    }

    static String curve(TestAccount account, String deviceId) {
        return account.device(deviceId).curve25519().toBase64();
    }

    static String ed25519(TestAccount account, String deviceId) {
        return account.device(deviceId).ed25519().publicKey().toBase64();
    }

    // ---- evidence --------------------------------------------------------------------------------

    static DecisionEvidence nothingKnown() {
        return new DecisionEvidence(null, null, null, null, false, false);
    }

    /** The stored device only (no cross-signing identity known). */
    static DecisionEvidence deviceOnly(TestAccount account, String deviceId, DeviceSigning signing) {
        return new DecisionEvidence(null, account.deviceKeysJson(deviceId, signing), null, null, false, false);
    }

    /** The stored device and the owner's accepted identity ({@code identity}'s MSK and SSK). */
    static DecisionEvidence withIdentity(TestAccount account, String deviceId, DeviceSigning signing,
                                         TestAccount identity, boolean verified, boolean previouslyVerified) {
        return new DecisionEvidence(null, account.deviceKeysJson(deviceId, signing), identity.masterKeyJson(),
                identity.selfSigningKeyJson(MasterSignature.VALID), verified, previouslyVerified);
    }

    /**
     * The stored device is signed only by {@code reset}'s SSK, which was refused because its MSK signature
     * does not verify (tampering); the accepted identity is still {@code account}'s. The standing, with
     * the refused SSK and its MSK as received, is what arrival checks record for such a device.
     */
    static DecisionEvidence tainted(TestAccount account, TestAccount reset, String deviceId) {
        ObjectNode refused = reset.selfSigningKeyJson(MasterSignature.BAD);
        DeviceStanding standing = DeviceStanding.reliesOnRefusedKey(
                io.keytrail.matrix.SignedJson.keyIdOf(reset.selfSigningKey().publicKey()), refused, "BAD_MASTER_SIGNATURE",
                reset.masterKeyJson());
        return new DecisionEvidence(null, reset.deviceKeysJson(deviceId, DeviceSigning.CROSS_SIGNED),
                account.masterKeyJson(), account.selfSigningKeyJson(MasterSignature.VALID), false, false, standing);
    }

    static DecisionEvidence crossSigned(TestAccount account, String deviceId) {
        return withIdentity(account, deviceId, DeviceSigning.CROSS_SIGNED, account, false, false);
    }

    // ---- sender data -----------------------------------------------------------------------------

    static KnownSenderData known(TestAccount identity, String deviceId) {
        return new KnownSenderData(identity.userId(), deviceId, identity.masterKey().publicKey());
    }

    static SenderData.DeviceInfo deviceInfo(TestAccount account, String deviceId, DeviceSigning signing) {
        return new SenderData.DeviceInfo(account.deviceKeysJson(deviceId, signing), false);
    }

    static SenderData.SenderUnverified unverified(TestAccount identity, String deviceId) {
        return new SenderData.SenderUnverified(known(identity, deviceId));
    }

    static SenderData.SenderVerified verified(TestAccount identity, String deviceId) {
        return new SenderData.SenderVerified(known(identity, deviceId));
    }

    static SenderData.VerificationViolation violation(TestAccount identity, String deviceId) {
        return new SenderData.VerificationViolation(known(identity, deviceId));
    }

    static ObjectNode keys(TestAccount account, String deviceId, DeviceSigning signing) {
        return account.deviceKeysJson(deviceId, signing);
    }

    // ---- matchers --------------------------------------------------------------------------------

    /** An event payload of {@code type} that satisfies {@code test}. */
    static <T> Matcher<Object> event(Class<T> type, String description, Predicate<T> test) {
        return new CustomTypeSafeMatcher<>(type.getSimpleName() + " " + description) {
            @Override
            protected boolean matchesSafely(Object item) {
                return type.isInstance(item) && test.test(type.cast(item));
            }
        };
    }

    /** Exactly these event payloads, in this order, and no more. */
    @SafeVarargs
    static Matcher<List<org.axonframework.messaging.Message<?>>> exactly(Matcher<Object>... payloads) {
        Matcher<?>[] all = Arrays.copyOf(payloads, payloads.length + 1);
        all[payloads.length] = Matchers.andNoMore();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Matcher<List<Object>> sequence = Matchers.exactSequenceOf((Matcher[]) all);
        return Matchers.payloadsMatching(sequence);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
