package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importBackup;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.ApiTestTokens;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupMac2;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Key sharing over HTTP (issue 12): {@code POST /api/v1/backup} (admin), claims in the session view, the
 * bad-{@code mac2} count of an import, and a forward from a stranger answered with its own code.
 */
@EngineSpringTest
class KeySharingHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    MockMvc mvc;

    private final TestAccount alice = account("alice");
    private final BackupDecryptionKey backupKey = BackupDecryptionKey.generate(new SecureRandom());

    private MvcResult post(String path, JsonNode body, String token) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .contentType(MediaType.APPLICATION_JSON).content(body.toString())
                .header("Authorization", ApiTestTokens.bearer(token))).andReturn();
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return MAPPER.readTree(result.getResponse().getContentAsString());
    }

    private Sender importedWithClaim() throws Exception {
        Sender s = new Sender(room(), 1);
        ObjectNode entry = exportEntry(s, 0, alice).put(SenderClaims.SENDER, alice.userId());
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(entry);
        assertThat(post("/api/v1/inputs", input, ApiTestTokens.USER).getResponse().getStatus()).isEqualTo(200);
        return s;
    }

    @Test
    void backupNeedsTheAdminToken_andWritesEntriesWithMac2() throws Exception {
        Sender s = importedWithClaim();
        ObjectNode request = JSON.objectNode().put("decryption_key", backupKey.toRecoveryKey());
        request.putArray("room_ids").add(s.roomId);

        assertThat(post("/api/v1/backup", request, ApiTestTokens.USER).getResponse().getStatus()).isEqualTo(403);
        MvcResult written = post("/api/v1/backup", request, ApiTestTokens.ADMIN);

        assertThat(written.getResponse().getStatus()).isEqualTo(200);
        assertThat(written.getResponse().getHeader("X-Keytrail-Session-Count")).isEqualTo("1");
        JsonNode entry = json(written).path("rooms").path(s.roomId).path("sessions").path(s.sessionId());
        assertThat(entry.path("forwarded_count").asInt()).isEqualTo(1);
        assertThat(entry.path("session_data").path(BackupMac2.UNSTABLE_FIELD).asText()).isNotEmpty();
        assertThat(written.getResponse().getContentAsString()).doesNotContain(backupKey.toBase64());
    }

    @Test
    void backupRequest_isStrict() throws Exception {
        ObjectNode request = JSON.objectNode().put("decryption_key", backupKey.toBase64()).put("passphrase", "x");
        MvcResult refused = post("/api/v1/backup", request, ApiTestTokens.ADMIN);
        assertThat(refused.getResponse().getStatus()).isEqualTo(400);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("INVALID_INPUT");
        MvcResult badKey = post("/api/v1/backup", JSON.objectNode().put("decryption_key", "not a key"),
                ApiTestTokens.ADMIN);
        assertThat(badKey.getResponse().getStatus()).isEqualTo(400);
        assertThat(badKey.getResponse().getContentAsString()).doesNotContain("not a key");
    }

    @Test
    void sessionView_showsTheClaimBesideTheSenderData() throws Exception {
        Sender s = importedWithClaim();
        MvcResult view = mvc.perform(get(java.net.URI.create("/api/v1/sessions/" + enc(s.roomId) + "/" + enc(s.sessionId())))
                .header("Authorization", ApiTestTokens.bearer(ApiTestTokens.USER))).andReturn();

        JsonNode body = json(view);
        assertThat(body.path("sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        assertThat(body.at("/claimed_owner/user_id").asText()).isEqualTo(alice.userId());
        assertThat(body.at("/claimed_owner/sender_data").isNull()).isTrue();
        assertThat(body.path("imported").asBoolean()).isTrue();
    }

    @Test
    void importWithABadMac2_isCountedInTheAnswer() throws Exception {
        Sender s = importedWithClaim();
        ObjectNode request = JSON.objectNode().put("decryption_key", backupKey.toBase64());
        request.putArray("room_ids").add(s.roomId);
        JsonNode body = json(post("/api/v1/backup", request, ApiTestTokens.ADMIN));
        ObjectNode data = (ObjectNode) body.path("rooms").path(s.roomId).path("sessions").path(s.sessionId())
                .path("session_data");
        byte[] mac = UnpaddedBase64.decode(data.get(BackupMac2.UNSTABLE_FIELD).asText());
        mac[31] ^= (byte) 0x80;
        data.put(BackupMac2.UNSTABLE_FIELD, UnpaddedBase64.encode(mac));

        JsonNode result = json(post("/api/v1/inputs", importBackup(backupKey.toBase64(), body), ApiTestTokens.USER))
                .path("result");

        assertThat(result.at("/imported/0/backup_mac").asText()).isEqualTo("invalid");
        assertThat(result.at("/counts/bad_backup_mac").asInt()).isEqualTo(1);
    }

    @Test
    void forwardFromAStranger_isA422WithItsOwnCode() throws Exception {
        Sender s = new Sender(room(), 1);
        TestAccount stranger = account("stranger");
        ObjectNode plaintext = stranger.roomKeyPlaintext("DEV", account("me").ownDevice("DEV"), s.roomId, s.sessionId(),
                s.exportAt(0), Optional.empty());
        plaintext.put("type", "m.forwarded_room_key");
        ObjectNode content = (ObjectNode) plaintext.get("content");
        content.put("sender_key", alice.device("DEV").curve25519().toBase64());
        content.put("sender_claimed_ed25519_key", alice.device("DEV").ed25519().publicKey().toBase64());
        content.putArray("forwarding_curve25519_key_chain");
        ObjectNode input = JSON.objectNode().put("type", "forwarded_room_key").put("sender", stranger.userId())
                .put("sender_key", stranger.device("DEV").curve25519().toBase64());
        input.set("plaintext", plaintext);

        MvcResult refused = post("/api/v1/inputs", input, ApiTestTokens.USER);

        assertThat(refused.getResponse().getStatus()).isEqualTo(422);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("FORWARD_NOT_FROM_OWN_DEVICE");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
