package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link InboundGroupSession.Cursor} starts each message from the furthest ratchet it reached: the
 * answers are exactly the session's own, in any order, across the 255/256 carry, on several threads.
 */
class CursorTest {

    private static List<String> messages(OutboundGroupSession sender, int count) {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(sender.encrypt("message " + sender.messageIndex()));
        }
        return messages;
    }

    @Test
    void messagesInAnyOrderAndAgain_decryptAsTheSessionDecryptsThem() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(MegolmRatchet.of(200, TestMessages.STATE),
                TestMessages.KEY);
        InboundGroupSession session = InboundGroupSession.fromSessionKey(sender.sessionKey());
        List<String> messages = messages(sender, 120); // indexes 200..319, across the 255/256 carry
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            order.add(i);
            order.add(i);
        }
        Collections.shuffle(order, new Random(20261130L));
        InboundGroupSession.Cursor cursor = session.cursor();

        for (int i : order) {
            DecryptedMessage viaCursor = cursor.decrypt(messages.get(i));
            DecryptedMessage direct = session.decrypt(messages.get(i));
            assertThat(viaCursor.messageIndex()).isEqualTo(200 + i).isEqualTo(direct.messageIndex());
            assertThat(viaCursor.utf8()).isEqualTo("message " + (200 + i)).isEqualTo(direct.utf8());
        }
        assertThat(cursor.session()).isSameAs(session);
    }

    @Test
    void afterALaterMessage_anEarlierUnknownIndexIsStillRefused_andAForeignRatchetStillFailsTheMac() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(MegolmRatchet.of(10, TestMessages.STATE),
                TestMessages.KEY);
        String early = sender.encrypt("before the share");
        InboundGroupSession session = InboundGroupSession.fromSessionKey(sender.sessionKey());
        List<String> later = messages(sender, 5);
        InboundGroupSession.Cursor cursor = session.cursor();
        assertThat(cursor.decrypt(later.get(4)).utf8()).isEqualTo("message 15");

        assertRefused(() -> cursor.decrypt(early), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX);
        byte[] otherState = TestMessages.STATE.clone();
        otherState[0] ^= 1;
        String forged = OutboundGroupSession.fromSecrets(MegolmRatchet.of(16, otherState), TestMessages.KEY).encrypt("x");
        assertRefused(() -> cursor.decrypt(forged), MegolmException.Reason.BAD_MAC);
        assertThat(cursor.decrypt(later.get(2)).utf8()).isEqualTo("message 13");
    }

    @Test
    void twoThreadsOnOneCursor_eachGetsEveryMessageRight() throws Exception {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE),
                TestMessages.KEY);
        InboundGroupSession.Cursor cursor = InboundGroupSession.fromSessionKey(sender.sessionKey()).cursor();
        List<String> messages = messages(sender, 300);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = t;
                wrong.add(threads.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < messages.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(seed));
                    int mistakes = 0;
                    for (int i : order) {
                        mistakes += cursor.decrypt(messages.get(i)).utf8().equals("message " + i) ? 0 : 1;
                    }
                    return mistakes;
                }));
            }
            for (Future<Integer> answer : wrong) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
