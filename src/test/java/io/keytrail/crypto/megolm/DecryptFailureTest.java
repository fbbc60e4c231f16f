package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static io.keytrail.crypto.megolm.TestMessages.bytesField;
import static io.keytrail.crypto.megolm.TestMessages.concat;
import static io.keytrail.crypto.megolm.TestMessages.seal;
import static io.keytrail.crypto.megolm.TestMessages.varintField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.Random;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.UnpaddedBase64;
import org.junit.jupiter.api.Test;

/** Every way a Megolm message can be refused, each with its own reason, in vodozemac's order. */
class DecryptFailureTest {
    private static final OutboundGroupSession SENDER =
            OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE), TestMessages.KEY);
    private static final InboundGroupSession SESSION = TestMessages.inbound();
    private static final String MESSAGE_0 = SENDER.encrypt("first message");
    private static final String MESSAGE_1 = SENDER.encrypt("second message");

    @Test
    void untouchedMessages_decrypt() {
        assertThat(SESSION.decrypt(MESSAGE_0).utf8()).isEqualTo("first message");
        assertThat(SESSION.decrypt(MESSAGE_1).utf8()).isEqualTo("second message");
    }

    @Test
    void flippedMacByte_resigned_isBadMac() {
        for (int i = 1; i <= MegolmMessage.MAC_LENGTH; i++) {
            int fromEnd = -i;
            assertRefused(() -> SESSION.decrypt(TestMessages.flipAndResign(MESSAGE_1, fromEnd)),
                    MegolmException.Reason.BAD_MAC).hasMessageContaining("altered");
        }
    }

    @Test
    void flippedCiphertextByte_resigned_isBadMac() {
        assertRefused(() -> SESSION.decrypt(TestMessages.flipAndResign(MESSAGE_1, 10)), MegolmException.Reason.BAD_MAC);
    }

    @Test
    void flippedMacByteWithoutResigning_isBadSignature_becauseTheSignatureIsCheckedFirst() {
        assertRefused(() -> SESSION.decrypt(TestMessages.flipByte(MESSAGE_1, -65)), MegolmException.Reason.BAD_SIGNATURE);
    }

    @Test
    void flippedSignatureOrCiphertextByte_isBadSignature() {
        for (int offset : new int[] {-1, -32, -64, 5, 12, 20}) {
            assertRefused(() -> SESSION.decrypt(TestMessages.flipByte(MESSAGE_1, offset)),
                    MegolmException.Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void messageSignedByAnotherKey_isBadSignature() {
        OutboundGroupSession impostor = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE),
                Ed25519KeyPair.fromSeed(new byte[32]));
        assertRefused(() -> SESSION.decrypt(impostor.encrypt("forged")), MegolmException.Reason.BAD_SIGNATURE);
    }

    @Test
    void messageMacdWithAnotherIndexKeys_isBadMac() {
        byte[] payload = concat(varintField(1, 1), bytesField(2, TestMessages.ciphertext(1, new byte[3])));
        assertRefused(() -> SESSION.decrypt(seal(2, payload)), MegolmException.Reason.BAD_MAC);
    }

    @Test
    void indexBelowFirstKnown_isUnknownMessageIndex() {
        InboundGroupSession fromOne = InboundGroupSession.fromExport(SESSION.exportAt(1));
        assertThat(fromOne.decrypt(MESSAGE_1).utf8()).isEqualTo("second message");
        assertRefused(() -> fromOne.decrypt(MESSAGE_0), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX)
                .hasMessageContaining("index 0").hasMessageContaining("only known from index 1");
    }

    @Test
    void badSignatureWinsOverUnknownIndex() {
        InboundGroupSession fromOne = InboundGroupSession.fromExport(SESSION.exportAt(1));
        assertRefused(() -> fromOne.decrypt(TestMessages.flipByte(MESSAGE_0, -1)), MegolmException.Reason.BAD_SIGNATURE);
    }

    @Test
    void authenticatedCiphertextWithInvalidPadding_isBadPadding() {
        byte[] lastByte17 = new byte[16];
        lastByte17[15] = 17;
        byte[] firstBlockOnly = Arrays.copyOf(TestMessages.ciphertext(0, lastByte17), 16);
        String message = seal(0, concat(varintField(1, 0), bytesField(2, firstBlockOnly)));
        assertRefused(() -> SESSION.decrypt(message), MegolmException.Reason.BAD_PADDING);
    }

    @Test
    void authenticatedCiphertextThatIsNotWholeBlocks_isBadPadding() {
        for (int length : new int[] {0, 15, 17}) {
            String message = seal(0, concat(varintField(1, 0), bytesField(2, new byte[length])));
            assertRefused(() -> SESSION.decrypt(message), MegolmException.Reason.BAD_PADDING);
        }
    }

    @Test
    void invalidUtf8Plaintext_decryptsAsBytes_butUtf8IsRefused() {
        byte[] notUtf8 = {(byte) 0xC3, 0x28};
        String message = seal(0, concat(varintField(1, 0), bytesField(2, TestMessages.ciphertext(0, notUtf8))));
        DecryptedMessage decrypted = SESSION.decrypt(message);
        assertThat(decrypted.plaintext()).isEqualTo(notUtf8);
        assertRefused(decrypted::utf8, MegolmException.Reason.INVALID_UTF8);
    }

    @Test
    void exportBelowFirstKnownIndexOrBeyond32Bits_isRefused() {
        InboundGroupSession fromOne = InboundGroupSession.fromExport(SESSION.exportAt(1));
        assertRefused(() -> fromOne.exportAt(0), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX);
        assertRefused(() -> fromOne.exportAt(1L << 32), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX);
    }

    @Test
    void garbageTruncatedAndBitFlippedMessages_onlyEverRaiseMegolmException() {
        Random random = new Random(42);
        byte[] valid = UnpaddedBase64.decode(MESSAGE_1);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = 3;
            }
            assertOnlyMegolmException(garbage);
        }
        for (int length = 0; length < valid.length; length++) {
            assertOnlyMegolmException(Arrays.copyOf(valid, length));
        }
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] flipped = valid.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertOnlyMegolmException(flipped);
        }
    }

    private static void assertOnlyMegolmException(byte[] bytes) {
        assertThatCode(() -> {
            try {
                SESSION.decrypt(MegolmMessage.fromBytes(bytes));
            } catch (MegolmException expected) {
                // refused with a reason: fine
            }
        }).doesNotThrowAnyException();
    }
}
