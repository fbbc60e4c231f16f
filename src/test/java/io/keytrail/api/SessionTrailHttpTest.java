package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/** {@code GET /api/v1/sessions/{room}/{session}/trail}: the user token reads a session's story; 404 for none. */
@EngineSpringTest
class SessionTrailHttpTest {
    private static final String ROOM = "!trail:http.test";

    @LocalServerPort
    int port;

    @Autowired
    Keytrail keytrail;

    private String receivedFetchedAndVerified() {
        TestAccount frank = TestAccount.create("@frank:trail-http.test", "frank-trail-http", "PHONE");
        OwnDevice me = TestAccount.create("@me:trail-http.test", "me-trail-http", "ME").ownDevice("ME");
        byte[] ratchet = new byte[128];
        byte[] seed = new byte[32];
        for (int i = 0; i < ratchet.length; i++) {
            ratchet[i] = (byte) (i * 3 + 77);
        }
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i * 5 + 77);
        }
        OutboundGroupSession megolm = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet),
                Ed25519KeyPair.fromSeed(seed));
        keytrail.receiveRoomKey(frank.userId(), frank.device("PHONE").curve25519().toBase64(),
                frank.roomKeyPlaintext("PHONE", me, ROOM, megolm.sessionId(), megolm.sessionKey().toBase64(),
                        Optional.empty()), Optional.of(me));
        keytrail.recordKeysQuery(KeysQueryBody.of(frank));
        keytrail.verifyMasterKey(frank.userId(), frank.masterKey().publicKey().toBase64());
        return megolm.sessionId();
    }

    private static String path(String room, String session) {
        return "/api/v1/sessions/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(session, StandardCharsets.UTF_8).replace("+", "%2B") + "/trail";
    }

    @Test
    void theUserToken_readsEveryEventWithOldAndNewSenderDataRuleTriggerAndEvidence() throws Exception {
        String session = receivedFetchedAndVerified();

        RawHttp.Answer answer = new RawHttp(port).send("GET", path(ROOM, session), ApiTestTokens.USER, null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode trail = answer.json();
        assertThat(trail.path("session_id").asText()).isEqualTo(session);
        assertThat(trail.path("sender_data").has("SenderVerified")).isTrue();
        assertThat(trail.path("events")).extracting(e -> e.path("change").asText()).containsExactly(
                "none -> UnknownDevice", "UnknownDevice -> UnknownDevice", "UnknownDevice -> SenderUnverified",
                "SenderUnverified -> SenderVerified");
        // The device was unknown: the session recorded that it wants its keys (ADR 0019), a step of its own.
        assertThat(trail.path("events").get(1).path("event").asText()).isEqualTo("SenderKeysWanted");
        assertThat(trail.path("events").get(1).path("detail").asText()).contains("keys from the homeserver");
        JsonNode fetched = trail.path("events").get(2);
        assertThat(fetched.path("rule").asText()).isEqualTo("CROSS_SIGNED_UNVERIFIED");
        assertThat(fetched.path("trigger").asText()).isEqualTo("DEVICE_KEYS_FETCHED");
        assertThat(fetched.path("evidence").toString()).contains("device PHONE's keys signed by SSK ", " signed by MSK ");
        JsonNode verified = trail.path("events").get(3);
        assertThat(verified.path("evidence").get(0).asText()).contains(" verified by MskVerified at ");
        assertThat(answer.body()).doesNotContain("sealed", "session_key");
    }

    @Test
    void anUnknownSession_is404UnknownSession_inTheApisErrorShape() throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send("GET", path(ROOM, "nosuchsession"), ApiTestTokens.USER, null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("UNKNOWN_SESSION");
        assertThat(answer.json().at("/error/message").asText()).contains("nosuchsession");
    }

    @Test
    void withoutAToken_isUnauthorized() throws Exception {
        assertThat(new RawHttp(port).send("GET", path(ROOM, "x"), null, null).status()).isEqualTo(401);
    }
}
