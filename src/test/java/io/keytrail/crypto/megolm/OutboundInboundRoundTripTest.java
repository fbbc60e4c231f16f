package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What our sender writes, our receiver reads: across 255/256, 65535/65536 and 2^24. */
class OutboundInboundRoundTripTest {

    private static SecureRandom seededRandom() throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(20260821L); // seeded before first use, so the sequence is deterministic
        return random;
    }

    @Test
    void randomSession_everyMessageFromZeroTo300_decryptsAtItsIndex() throws Exception {
        OutboundGroupSession sender = OutboundGroupSession.create(seededRandom());
        InboundGroupSession receiver = InboundGroupSession.fromSessionKey(sender.sessionKey());
        assertThat(receiver.sessionId()).isEqualTo(sender.sessionId());
        List<String> messages = new ArrayList<>();
        for (int i = 0; i <= 300; i++) {
            assertThat(sender.messageIndex()).isEqualTo(i);
            messages.add(sender.encrypt("message " + i));
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            DecryptedMessage decrypted = receiver.decrypt(messages.get(i));
            assertThat(decrypted.messageIndex()).isEqualTo(i);
            assertThat(decrypted.utf8()).isEqualTo("message " + i);
        }
    }

    @Test
    void sessionKeySharedAt254_decryptsFrom254On_andRefusesEarlier() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(MegolmRatchet.of(250, TestMessages.STATE), TestMessages.KEY);
        List<String> messages = new ArrayList<>();
        SessionKey key = null;
        for (int i = 250; i <= 260; i++) {
            if (i == 254) {
                key = sender.sessionKey();
            }
            messages.add(sender.encrypt("at " + i));
        }
        InboundGroupSession receiver = InboundGroupSession.fromSessionKey(key);
        assertThat(receiver.firstKnownIndex()).isEqualTo(254);
        for (int i = 250; i <= 260; i++) {
            String message = messages.get(i - 250);
            if (i < 254) {
                assertRefused(() -> receiver.decrypt(message), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX);
            } else {
                assertThat(receiver.decrypt(message).utf8()).isEqualTo("at " + i);
            }
        }
    }

    @Test
    void messagesAcross65536And2To24_decryptWithAnIndexZeroKey() {
        MegolmRatchet start = MegolmRatchet.of(0, TestMessages.STATE);
        InboundGroupSession receiver = InboundGroupSession.fromSessionKey(
                OutboundGroupSession.fromSecrets(start, TestMessages.KEY).sessionKey());
        for (long first : new long[] {65_534, (1 << 24) - 2}) {
            OutboundGroupSession sender = OutboundGroupSession.fromSecrets(start.advanceTo(first), TestMessages.KEY);
            for (long i = first; i < first + 4; i++) {
                DecryptedMessage decrypted = receiver.decrypt(sender.encrypt("at " + i));
                assertThat(decrypted.messageIndex()).isEqualTo(i);
                assertThat(decrypted.utf8()).isEqualTo("at " + i);
            }
        }
    }

    @Test
    void sessionKeyAtCurrentIndex_tracksTheSender_andReParsesFromBase64() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(TestMessages.STATE, TestMessages.SEED);
        sender.encrypt("a");
        sender.encrypt("b");
        SessionKey key = SessionKey.parse(sender.sessionKey().toBase64());
        assertThat(key.index()).isEqualTo(2);
        assertThat(key).isEqualTo(sender.sessionKey());
        assertThat(key.sessionId()).isEqualTo(sender.sessionId());
        assertThat(InboundGroupSession.fromSessionKey(key).decrypt(sender.encrypt("c")).utf8()).isEqualTo("c");
    }

    @Test
    void emptyBlockSizedAndUnicodePlaintexts_roundTrip() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(TestMessages.STATE, TestMessages.SEED);
        InboundGroupSession receiver = InboundGroupSession.fromSessionKey(sender.sessionKey());
        for (String text : new String[] {"", "exactly16bytes!!", "{\"body\":\"h\u00e9llo \ud83d\udd10 \u4e16\u754c\"}", "x".repeat(5000)}) {
            assertThat(receiver.decrypt(sender.encrypt(text)).utf8()).isEqualTo(text);
        }
    }

    @Test
    void decryptedMessage_copiesItsPlaintext_andHidesItInToString() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(TestMessages.STATE, TestMessages.SEED);
        DecryptedMessage decrypted = InboundGroupSession.fromSessionKey(sender.sessionKey()).decrypt(sender.encrypt("secret"));
        decrypted.plaintext()[0] = 'X';
        assertThat(decrypted.utf8()).isEqualTo("secret");
        assertThat(decrypted.toString()).doesNotContain("secret").contains("messageIndex=0");
    }
}
