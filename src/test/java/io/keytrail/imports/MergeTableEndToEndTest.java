package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.decrypt;
import static io.keytrail.imports.ImportFixtures.eventsOf;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.payloadsOf;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.errors.RefusalException;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.SenderData;

/**
 * Every row of the ratchet x trust table (trust.SessionMerge, reference 1.4, design 5/6), end to end
 * through the inputs: each outcome is an event of the session. "Better" is an earlier first index.
 */
@EngineSpringTest
class MergeTableEndToEndTest {
    private static final OwnDevice ME = account("me").ownDevice("DEV");

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;

    private final TestAccount alice = account("alice");
    private final Sender s = new Sender(room(), 4);

    // --- helpers -----------------------------------------------------------------------------------

    private void publishAliceKeys() {
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", KeysQueryBody.of(alice));
        keytrail.process(keys);
    }

    private ObjectNode receive(Sender sender, int index) {
        return keytrail.process(roomKey(alice, ME, sender, index, Optional.empty()));
    }

    /** A re-receipt that ships the device's self-signed keys (MSC4147): DeviceInfo, one rank above UnknownDevice. */
    private ObjectNode receiveWithDeviceKeys(int index) {
        return keytrail.process(roomKey(alice, ME, s, index,
                Optional.of(alice.deviceKeysJson("DEV", DeviceSigning.SELF_SIGNED_ONLY))));
    }

    private ObjectNode importAt(Sender sender, int index) {
        return keytrail.process(importRoomKeys(exportEntry(sender, index, alice)));
    }

    /**
     * The session's events as the merge table writes them: the slow lane's {@code SenderKeysWanted}, recorded
     * after a receipt from a device not known yet (ADR 0019), is no part of the table.
     */
    private List<String> events() {
        return eventsOf(eventStore, s.aggregateId()).stream().filter(e -> !e.equals("SenderKeysWanted")).toList();
    }

    private SessionView view() {
        return keytrail.session(s.roomId, s.sessionId()).orElseThrow();
    }

    private void assertDecrypts(String policy, int index) {
        assertThat(keytrail.process(decrypt(policy, alice.userId(), s, index)).at("/plaintext/content/body").asText())
                .isEqualTo("message " + index);
    }

    private long lastRatchetIndex() {
        List<Object> payloads = payloadsOf(eventStore, s.aggregateId());
        RatchetImproved improved = (RatchetImproved) payloads.get(payloads.size() - 1);
        return improved.firstKnownIndex();
    }

    // --- UNCONNECTED, any trust: refused, recorded as suspicious ---------------------------------------

    @Test
    void unconnected_reReceipt_isRefusedAndRecorded() {
        receive(s, 0);
        assertThatThrownBy(() -> receive(s.impostor(), 0)).isInstanceOfSatisfying(RefusalException.class,
                e -> assertThat(e.code()).isEqualTo(RefusalCode.INVALID_SESSION_KEY));
        assertThat(events()).containsExactly("SessionReceived", "SessionCopyRefused");
        assertDecrypts("SHOW_ALL", 0);
    }

    @Test
    void unconnected_import_failsThatSessionAndIsRecorded() {
        importAt(s, 0);
        ObjectNode result = importAt(s.impostor(), 0);
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("INVALID_SESSION_KEY");
        assertThat(events()).containsExactly("SessionImported", "SessionCopyRefused");
    }

    @Test
    void import_claimingAnotherCreatorKey_isRefusedAsMismatchedIdentityKeys() {
        receive(s, 0);
        ObjectNode result = keytrail.process(importRoomKeys(exportEntry(s, 0, account("mallory"))));
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("MISMATCHED_IDENTITY_KEYS");
        assertThat(events()).containsExactly("SessionReceived", "SessionCopyRefused");
    }

    // --- BETTER ratchet ------------------------------------------------------------------------------

    @Test
    void better_greater_authenticatedCopyReplacesAnImport_asSessionReceivedOverImport() {
        importAt(s, 2);
        publishAliceKeys();
        receive(s, 0);
        assertThat(events()).containsExactly("SessionImported", "SessionReceivedOverImport");
        assertThat(view().senderData()).isInstanceOf(SenderData.SenderUnverified.class);
        assertThat(view().imported()).isFalse();
        assertDecrypts("CROSS_SIGNED", 0);
    }

    @Test
    void better_greater_reReceipt_graftsTheRatchet_andRaisesTrust() {
        receive(s, 2);
        receiveWithDeviceKeys(0);
        assertThat(events()).containsExactly("SessionReceived", "RatchetImproved", "SenderDataChanged");
        assertThat(view().senderData()).isInstanceOf(SenderData.DeviceInfo.class);
        assertDecrypts("SHOW_ALL", 0);
    }

    @Test
    void better_equal_sameLegacyFlag_reReceipt_onlyImprovesTheRatchet() {
        receive(s, 2);
        receive(s, 0);
        assertThat(events()).containsExactly("SessionReceived", "RatchetImproved");
        assertThat(lastRatchetIndex()).isZero();
        assertDecrypts("SHOW_ALL", 0);
    }

    @Test
    void better_equal_sameLegacyFlag_importOverImport_improvesTheRatchet() {
        importAt(s, 3);
        importAt(s, 1);
        assertThat(events()).containsExactly("SessionImported", "RatchetImproved");
        assertThat(lastRatchetIndex()).isEqualTo(1);
        assertDecrypts("CROSS_SIGNED_OR_LEGACY", 1);
    }

    @Test
    void better_equal_legacyFlagsDiffer_importGraftsItsRatchet_butTheSessionStaysAuthenticated() {
        receive(s, 2);
        importAt(s, 0);
        assertThat(events()).containsExactly("SessionReceived", "RatchetImproved");
        assertThat(view().senderData()).isEqualTo(SenderData.unknown());
        assertThat(view().imported()).isFalse();
        assertDecrypts("SHOW_ALL", 0);
    }

    @Test
    void better_equal_legacyFlagsDiffer_unverifiedReceiptGraftsItsRatchet_andTheImportStaysLegacy() {
        importAt(s, 2);
        receive(s, 0);
        assertThat(events()).containsExactly("SessionImported", "RatchetImproved");
        assertThat(view().senderData()).isEqualTo(SenderData.legacy());
        assertThat(view().imported()).isTrue();
        assertDecrypts("CROSS_SIGNED_OR_LEGACY", 0);
    }

    @Test
    void better_less_importGraftsItsRatchet_withoutLoweringTrust() {
        publishAliceKeys();
        receive(s, 2);
        importAt(s, 0);
        assertThat(events()).containsExactly("SessionReceived", "RatchetImproved");
        assertThat(view().senderData()).isInstanceOf(SenderData.SenderUnverified.class);
        assertDecrypts("CROSS_SIGNED", 0);
    }

    // --- EQUAL ratchet -------------------------------------------------------------------------------

    @Test
    void equal_greater_authenticatedCopyReplacesAnImport() {
        importAt(s, 0);
        publishAliceKeys();
        receive(s, 0);
        assertThat(events()).containsExactly("SessionImported", "SessionReceivedOverImport");
        assertThat(view().senderData()).isInstanceOf(SenderData.SenderUnverified.class);
        assertDecrypts("CROSS_SIGNED", 0);
    }

    @Test
    void equal_greater_reReceipt_onlyChangesSenderData() {
        receive(s, 0);
        receiveWithDeviceKeys(0);
        assertThat(events()).containsExactly("SessionReceived", "SenderDataChanged");
        assertThat(view().senderData()).isInstanceOf(SenderData.DeviceInfo.class);
    }

    @Test
    void equal_equal_sameImportTwice_isKept() {
        importAt(s, 0);
        importAt(s, 0);
        assertThat(events()).containsExactly("SessionImported", "SessionCopyKept");
    }

    @Test
    void equal_equal_sameRoomKeyTwice_appendsNoSecondEvent() {
        receive(s, 0);
        receive(s, 0);
        assertThat(events()).containsExactly("SessionReceived");
    }

    @Test
    void equal_less_importOfAnAuthenticatedSession_isKept_andNeverLowersTrust() {
        publishAliceKeys();
        receive(s, 0);
        ObjectNode result = importAt(s, 0);
        assertThat(events()).containsExactly("SessionReceived", "SessionCopyKept");
        assertThat(result.at("/imported/0/sender_data").has("SenderUnverified")).isTrue();
        assertDecrypts("CROSS_SIGNED", 0);
    }

    // --- WORSE ratchet -------------------------------------------------------------------------------

    @Test
    void worse_greater_authenticatedCopyTakesOverTheImport_keepingItsBetterRatchet() {
        importAt(s, 0);
        publishAliceKeys();
        receive(s, 2);
        assertThat(events()).containsExactly("SessionImported", "SessionReceivedOverImport");
        SessionReceivedOverImport replaced = (SessionReceivedOverImport) payloadsOf(eventStore, s.aggregateId()).get(1);
        assertThat(replaced.firstKnownIndex()).isZero();
        assertThat(replaced.ratchetTaken()).isFalse();
        assertThat(view().imported()).isFalse();
        assertDecrypts("CROSS_SIGNED", 0);
    }

    @Test
    void worse_greater_reReceipt_raisesTrust_keepingTheBetterRatchet() {
        receive(s, 0);
        receiveWithDeviceKeys(2);
        assertThat(events()).containsExactly("SessionReceived", "SenderDataChanged");
        assertDecrypts("SHOW_ALL", 0);
    }

    @Test
    void worse_equalOrLess_importIsKept() {
        receive(s, 0);
        importAt(s, 2);
        assertThat(events()).containsExactly("SessionReceived", "SessionCopyKept");
        assertThat(view().imported()).isFalse();
        assertDecrypts("SHOW_ALL", 0);
    }
}
