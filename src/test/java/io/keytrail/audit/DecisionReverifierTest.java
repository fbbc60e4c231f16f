package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.trust.Rule;
import io.keytrail.session.Trigger;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionRef;
import io.keytrail.session.VerifiedMasterKey;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;

@EngineSpringTest
class DecisionReverifierTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    DecisionReverifier reverifier;
    @Autowired
    AuditTrail trail;
    @Autowired
    EventStore events;
    @Autowired
    JdbcTemplate jdbc;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OutboundGroupSession session(int salt) {
        byte[] ratchet = new byte[128];
        byte[] seed = new byte[32];
        for (int i = 0; i < ratchet.length; i++) {
            ratchet[i] = (byte) (i * 13 + salt);
        }
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i * 7 + salt);
        }
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(seed));
    }

    private SessionView receiveFromUnknownDeviceThenFetchKeys(TestAccount alice, String room, int salt) {
        OwnDevice me = TestAccount.create("@me:audit.test", "me-" + salt, "ME").ownDevice("ME");
        OutboundGroupSession megolm = session(salt);
        ObjectNode plaintext = alice.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(),
                megolm.sessionKey().toBase64(), Optional.empty());
        keytrail.receiveRoomKey(alice.userId(), alice.device("PHONE").curve25519().toBase64(), plaintext,
                Optional.of(me));
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        return keytrail.session(room, megolm.sessionId()).orElseThrow();
    }

    @Test
    void decisionsMadeFromValidEvidence_areConfirmedOnReplay() {
        TestAccount alice = TestAccount.create("@alice:audit-ok.test", "alice-audit-ok", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(alice, "!ok:audit.test", 1);
        assertThat(view.senderData()).isInstanceOf(SenderData.SenderUnverified.class);

        DecisionReverifier.Report report = reverifier.reverifyAll();

        String id = new SessionRef("!ok:audit.test", view.sessionId()).aggregateId();
        List<DecisionReverifier.Finding> mine = report.findings().stream().filter(f -> f.aggregateId().equals(id))
                .toList();
        assertThat(mine).extracting(DecisionReverifier.Finding::rule)
                .containsExactly(Rule.NO_DEVICE, Rule.CROSS_SIGNED_UNVERIFIED);
        assertThat(mine).allMatch(f -> f.verdict() == DecisionReverifier.Verdict.CONFIRMED);
    }

    @Test
    void aDiscardForADeviceRelyingOnARefusedSsk_carriesTheRefusedKeyAndIsConfirmedOnReplay() {
        TestAccount erin = TestAccount.create("@erin:audit-tainted.test", "erin-audit-tainted", "PHONE");
        OwnDevice me = TestAccount.create("@me:audit.test", "me-tainted", "ME").ownDevice("ME");
        OutboundGroupSession megolm = session(5);
        keytrail.receiveRoomKey(erin.userId(), erin.device("PHONE").curve25519().toBase64(),
                erin.roomKeyPlaintext("PHONE", me, "!tainted:audit.test", megolm.sessionId(),
                        megolm.sessionKey().toBase64(), Optional.empty()), Optional.of(me));
        keytrail.recordKeysQuery(new KeysQueryBody().account(erin).selfSigningKey(erin.userId(),
                erin.selfSigningKeyJson(io.keytrail.matrix.fixture.MasterSignature.BAD)).build());
        String id = new SessionRef("!tainted:audit.test", megolm.sessionId()).aggregateId();

        List<ObjectNode> history = trail.history("!tainted:audit.test", megolm.sessionId());
        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(history).extracting(h -> h.path("event").asText())
                .containsExactly("SessionReceived", "SenderKeysWanted", "SessionDiscarded");
        ObjectNode standing = (ObjectNode) history.get(2).path("payload").path("evidence").path("storedDeviceStanding");
        assertThat(standing.path("kind").asText()).isEqualTo("RELIES_ON_REFUSED_KEY");
        assertThat(standing.path("refusedSelfSigningKey"))
                .isEqualTo(erin.selfSigningKeyJson(io.keytrail.matrix.fixture.MasterSignature.BAD));
        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.event().equals("SessionDiscarded"))
                .singleElement().satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(Rule.TAINTED_DEVICE);
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.CONFIRMED);
                });
    }

    @Test
    void aTaintDiscardWhoseRefusedKeyIsActuallyValid_isListedAsDiffering() {
        TestAccount fay = TestAccount.create("@fay:audit-taint-forged.test", "fay-audit-taint-forged", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(fay, "!taint-forged:audit.test", 6);
        String id = new SessionRef("!taint-forged:audit.test", view.sessionId()).aggregateId();
        // A forged discard claims the SSK was refused, but the SSK in its own evidence is validly signed.
        io.keytrail.trust.DeviceStanding claimed = io.keytrail.trust.DeviceStanding.reliesOnRefusedKey(
                io.keytrail.matrix.SignedJson.keyIdOf(fay.selfSigningKey().publicKey()),
                fay.selfSigningKeyJson(io.keytrail.matrix.fixture.MasterSignature.VALID), "BAD_MASTER_SIGNATURE",
                fay.masterKeyJson());
        DecisionEvidence evidence = new DecisionEvidence(null,
                fay.deviceKeysJson("PHONE", io.keytrail.matrix.fixture.DeviceSigning.CROSS_SIGNED), null, null, false,
                false, claimed);
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3,
                new io.keytrail.session.SessionEvents.SessionDiscarded("!taint-forged:audit.test", view.sessionId(),
                        io.keytrail.trust.DiscardCause.TAMPERING, null, Rule.TAINTED_DEVICE, "forged", evidence)));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("no bad master-key signature");
                });
    }

    @Test
    void anUpgradeWhoseEvidenceDoesNotSupportIt_isListedAsDiffering() {
        TestAccount bob = TestAccount.create("@bob:audit-forged.test", "bob-audit-forged", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(bob, "!forged:audit.test", 2);
        String id = new SessionRef("!forged:audit.test", view.sessionId()).aggregateId();
        // Someone with write access to the store appends a "verified" upgrade without any verification.
        SenderData.SenderUnverified current = (SenderData.SenderUnverified) view.senderData();
        SenderDataChanged forged = new SenderDataChanged("!forged:audit.test", view.sessionId(), current,
                new SenderData.SenderVerified(current.known()), Rule.MSK_VERIFIED, Trigger.VERIFY_MASTER_KEY, null);
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3, forged));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS));
    }

    @Test
    void aDecisionWhoseEvidenceWasAltered_failsTheSignatureRecheck() {
        TestAccount carol = TestAccount.create("@carol:audit-altered.test", "carol-audit-altered", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(carol, "!altered:audit.test", 3);
        String id = new SessionRef("!altered:audit.test", view.sessionId()).aggregateId();
        ObjectNode device = carol.deviceKeysJson("PHONE", io.keytrail.matrix.fixture.DeviceSigning.CROSS_SIGNED);
        device.put("device_id_note", "edited after signing");
        DecisionEvidence altered = new DecisionEvidence(null, device, carol.masterKeyJson(),
                carol.selfSigningKeyJson(io.keytrail.matrix.fixture.MasterSignature.VALID), true, false);
        KnownSenderData known = new KnownSenderData(carol.userId(), "PHONE", carol.masterKey().publicKey());
        SenderDataChanged forged = new SenderDataChanged("!altered:audit.test", view.sessionId(), view.senderData(),
                new SenderData.SenderVerified(known), Rule.CROSS_SIGNED_VERIFIED, Trigger.DEVICE_KEYS_FETCHED, altered);
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3, forged));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("not validly self-signed");
                });
    }

    private SessionView receiveFromUnknownDevice(TestAccount sender, String room, int salt) {
        OwnDevice me = TestAccount.create("@me:audit.test", "me-" + salt, "ME").ownDevice("ME");
        OutboundGroupSession megolm = session(salt);
        keytrail.receiveRoomKey(sender.userId(), sender.device("PHONE").curve25519().toBase64(),
                sender.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(), megolm.sessionKey().toBase64(),
                        Optional.empty()), Optional.of(me));
        return keytrail.session(room, megolm.sessionId()).orElseThrow();
    }

    /** Validly signed keys of {@code owner}, with verification booleans that the store does not back. */
    private static DecisionEvidence validKeysClaiming(TestAccount owner, boolean verified, boolean previously) {
        return new DecisionEvidence(null,
                owner.deviceKeysJson("PHONE", io.keytrail.matrix.fixture.DeviceSigning.CROSS_SIGNED),
                owner.masterKeyJson(), owner.selfSigningKeyJson(io.keytrail.matrix.fixture.MasterSignature.VALID),
                verified, previously);
    }

    @Test
    void aVerifiedDecisionWhoseEvidenceClaimsAVerificationTheStoreNeverRecorded_isListedAsDiffering() {
        TestAccount gus = TestAccount.create("@gus:audit-claimed.test", "gus-audit-claimed", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(gus, "!claimed:audit.test", 7);
        String id = new SessionRef("!claimed:audit.test", view.sessionId()).aggregateId();
        // Validly signed keys and masterKeyVerified = true, but no MskVerified for gus's MSK anywhere in the store.
        KnownSenderData known = new KnownSenderData(gus.userId(), "PHONE", gus.masterKey().publicKey());
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3, new SenderDataChanged(
                "!claimed:audit.test", view.sessionId(), view.senderData(), new SenderData.SenderVerified(known),
                Rule.CROSS_SIGNED_VERIFIED, Trigger.DEVICE_KEYS_FETCHED, validKeysClaiming(gus, true, false))));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> {
                    assertThat(f.event()).isEqualTo("SenderDataChanged");
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.recorded()).isEqualTo("CROSS_SIGNED_VERIFIED -> SenderVerified");
                    assertThat(f.recomputed()).isEqualTo("CROSS_SIGNED_UNVERIFIED -> SenderUnverified");
                });
        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() < 3)
                .allMatch(f -> f.verdict() == DecisionReverifier.Verdict.CONFIRMED);
    }

    @Test
    void anUnverifiedDecisionWhoseEvidenceCarriesForgedVerificationFlags_isListedAsDiffering() {
        TestAccount hal = TestAccount.create("@hal:audit-flags.test", "hal-audit-flags", "PHONE");
        SessionView view = receiveFromUnknownDevice(hal, "!flags:audit.test", 8);
        String id = new SessionRef("!flags:audit.test", view.sessionId()).aggregateId();
        // The recorded answer is what the store supports, but its evidence claims a verification that never happened.
        KnownSenderData known = new KnownSenderData(hal.userId(), "PHONE", hal.masterKey().publicKey());
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 2, new SenderDataChanged(
                "!flags:audit.test", view.sessionId(), view.senderData(), new SenderData.SenderUnverified(known),
                Rule.CROSS_SIGNED_UNVERIFIED, Trigger.DEVICE_KEYS_FETCHED, validKeysClaiming(hal, true, true))));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 2)
                .singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.recorded()).isEqualTo(f.recomputed())
                            .isEqualTo("CROSS_SIGNED_UNVERIFIED -> SenderUnverified");
                    assertThat(f.detail()).contains("claims masterKeyVerified=true, previouslyVerified=true")
                            .contains("give masterKeyVerified=false, previouslyVerified=false");
                });
    }

    @Test
    void aRealVerificationFlow_isConfirmed_forTheUpgradeAndForLaterVerifiedDecisions() {
        TestAccount ivy = TestAccount.create("@ivy:audit-verified.test", "ivy-audit-verified", "PHONE");
        SessionView first = receiveFromUnknownDeviceThenFetchKeys(ivy, "!verified:audit.test", 9);
        keytrail.verifyMasterKey(ivy.userId(), ivy.masterKey().publicKey().toBase64());
        SessionView second = receiveFromUnknownDevice(ivy, "!verified:audit.test", 10);
        assertThat(keytrail.session("!verified:audit.test", first.sessionId()).orElseThrow().senderData())
                .isInstanceOf(SenderData.SenderVerified.class);
        assertThat(second.senderData()).isInstanceOf(SenderData.SenderVerified.class);

        DecisionReverifier.Report report = reverifier.reverifyAll();

        List<String> ids = List.of(new SessionRef("!verified:audit.test", first.sessionId()).aggregateId(),
                new SessionRef("!verified:audit.test", second.sessionId()).aggregateId());
        List<DecisionReverifier.Finding> mine = report.findings().stream()
                .filter(f -> ids.contains(f.aggregateId())).toList();
        assertThat(mine).extracting(DecisionReverifier.Finding::rule).containsExactlyInAnyOrder(Rule.NO_DEVICE,
                Rule.CROSS_SIGNED_UNVERIFIED, Rule.MSK_VERIFIED, Rule.CROSS_SIGNED_VERIFIED);
        assertThat(mine).allSatisfy(f -> assertThat(f.verdict()).as(f.toString())
                .isEqualTo(DecisionReverifier.Verdict.CONFIRMED));
        // The upgrade was read back from the store naming the verified key, and matched with the MskVerified event.
        assertThat(mine).filteredOn(f -> f.rule() == Rule.MSK_VERIFIED).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("verified " + ivy.userId() + "'s master key")
                        .doesNotContain("recorded before"));
    }

    private SenderDataChanged upgradeNaming(SessionView view, String room, VerifiedMasterKey named) {
        SenderData.SenderUnverified current = (SenderData.SenderUnverified) view.senderData();
        return new SenderDataChanged(room, view.sessionId(), current, new SenderData.SenderVerified(current.known()),
                Rule.MSK_VERIFIED, Trigger.VERIFY_MASTER_KEY, null, named);
    }

    @Test
    void anUpgradeNamingTheRightKey_butRecordedBeforeAnyVerification_isListedAsDiffering() {
        TestAccount jim = TestAccount.create("@jim:audit-early.test", "jim-audit-early", "PHONE");
        String room = "!early:audit.test";
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(jim, room, 11);
        String id = new SessionRef(room, view.sessionId()).aggregateId();
        String masterKey = jim.masterKey().publicKey().toBase64();
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3,
                upgradeNaming(view, room, new VerifiedMasterKey(jim.userId(), masterKey))));
        // The real verification comes only after the forged upgrade: it cannot support it.
        keytrail.verifyMasterKey(jim.userId(), masterKey);

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("no verification of " + jim.userId());
                    assertThat(f.recorded()).isEqualTo("MSK_VERIFIED -> SenderVerified");
                    assertThat(f.recomputed()).isEqualTo("unchanged -> SenderUnverified");
                });
    }

    @Test
    void anUpgradeNamingAnotherVerifiedKey_thanTheSessionRecorded_isListedAsDiffering() {
        TestAccount kim = TestAccount.create("@kim:audit-other-key.test", "kim-audit-other-key", "PHONE");
        TestAccount lou = TestAccount.create("@lou:audit-other-key.test", "lou-audit-other-key", "PHONE");
        String room = "!other-key:audit.test";
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(kim, room, 12);
        String id = new SessionRef(room, view.sessionId()).aggregateId();
        // Lou's master key really is verified; the forged upgrade of Kim's session points at that verification.
        receiveFromUnknownDeviceThenFetchKeys(lou, room, 13);
        String lousKey = lou.masterKey().publicKey().toBase64();
        keytrail.verifyMasterKey(lou.userId(), lousKey);
        events.publish(new GenericDomainEventMessage<>("MegolmSession", id, 3,
                upgradeNaming(view, room, new VerifiedMasterKey(lou.userId(), lousKey))));

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 3)
                .singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("names the verified key " + lou.userId())
                            .contains("the session recorded " + kim.userId());
                });
    }

    private byte[] storedPayload(String aggregateId, long sequence) {
        return jdbc.queryForObject("select payload from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number = ?", byte[].class, aggregateId, sequence);
    }

    @Test
    void aSignatureAlteredInTheStoredRowBySql_isListedWithSessionEventAndReason() throws Exception {
        TestAccount max = TestAccount.create("@max:audit-sql.test", "max-audit-sql", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(max, "!sql:audit.test", 14);
        String id = new SessionRef("!sql:audit.test", view.sessionId()).aggregateId();
        ObjectNode payload = (ObjectNode) JSON.readTree(storedPayload(id, 2));
        ObjectNode signatures = (ObjectNode) payload.path("evidence").path("storedDevice").path("signatures")
                .path(max.userId());
        String keyId = "ed25519:PHONE";
        String signature = signatures.path(keyId).asText();
        // Another valid base64 signature of the same length: the first character moves on by one.
        signatures.put(keyId, (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1));
        int updated = jdbc.update("update domain_event_entry set payload = ? where aggregate_identifier = ? "
                + "and sequence_number = 2", JSON.writeValueAsBytes(payload), id);
        assertThat(updated).isEqualTo(1);

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 2)
                .singleElement().satisfies(f -> {
                    assertThat(f.event()).isEqualTo("SenderDataChanged");
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("device PHONE in the evidence is not validly self-signed");
                    assertThat(f.recorded()).isEqualTo("CROSS_SIGNED_UNVERIFIED -> SenderUnverified");
                });
    }

    @Test
    void anEventDeletedFromTheMiddleOfASessionsStream_isListedAsASequenceGap() {
        TestAccount ned = TestAccount.create("@ned:audit-gap.test", "ned-audit-gap", "PHONE");
        SessionView view = receiveFromUnknownDeviceThenFetchKeys(ned, "!gap:audit.test", 15);
        keytrail.verifyMasterKey(ned.userId(), ned.masterKey().publicKey().toBase64());
        String id = new SessionRef("!gap:audit.test", view.sessionId()).aggregateId();
        int deleted = jdbc.update("delete from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number = 1", id);
        assertThat(deleted).isEqualTo(1);

        DecisionReverifier.Report report = reverifier.reverifyAll();

        assertThat(report.findings()).filteredOn(f -> f.aggregateId().equals(id) && f.sequence() == 2
                        && f.event().equals("SequenceGap")).singleElement().satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(DecisionReverifier.Verdict.DIFFERS);
                    assertThat(f.detail()).contains("event 1 of this aggregate is missing");
                    assertThat(f.recorded()).isEqualTo("sequence 2 after 0");
                    assertThat(f.recomputed()).isEqualTo("sequence 1 expected");
                });
    }

    @Test
    void historyShowsEveryEventWithoutTheSealedKey_andAsOfAnswersWhatWeKnewThen() {
        TestAccount dave = TestAccount.create("@dave:audit-history.test", "dave-audit-history", "PHONE");
        String room = "!history:audit.test";
        OwnDevice me = TestAccount.create("@me:audit.test", "me-history", "ME").ownDevice("ME");
        OutboundGroupSession megolm = session(4);
        Instant received = Instant.parse("2026-01-01T10:00:00Z");
        Instant keysArrived = Instant.parse("2026-01-01T10:05:00Z");
        Clock original = GenericEventMessage.clock;
        try {
            // Event times come from Axon's clock: pin them, so "as of" has two distinct moments to tell apart.
            GenericEventMessage.clock = Clock.fixed(received, ZoneOffset.UTC);
            keytrail.receiveRoomKey(dave.userId(), dave.device("PHONE").curve25519().toBase64(),
                    dave.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(), megolm.sessionKey().toBase64(),
                            Optional.empty()), Optional.of(me));
            GenericEventMessage.clock = Clock.fixed(keysArrived, ZoneOffset.UTC);
            keytrail.recordKeysQuery(KeysQueryBody.of(dave));
        } finally {
            GenericEventMessage.clock = original;
        }

        List<ObjectNode> history = trail.history(room, megolm.sessionId());

        assertThat(history).extracting(h -> h.path("event").asText())
                .containsExactly("SessionReceived", "SenderKeysWanted", "SenderDataChanged");
        assertThat(history.get(0).path("payload").has("sealedSessionKey")).isFalse();
        assertThat(history.get(2).path("payload").path("evidence").path("storedDevice").path("device_id").asText())
                .isEqualTo("PHONE");
        assertThat(trail.asOf(room, megolm.sessionId(), received.minusSeconds(1))).isEmpty();
        assertThat(trail.asOf(room, megolm.sessionId(), keysArrived.minusSeconds(1)).orElseThrow().senderData())
                .isEqualTo(SenderData.unknown());
        assertThat(trail.asOf(room, megolm.sessionId(), keysArrived).orElseThrow().senderData())
                .isInstanceOf(SenderData.SenderUnverified.class);
    }
}
