package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static io.keytrail.crypto.megolm.TestMessages.bytesField;
import static io.keytrail.crypto.megolm.TestMessages.concat;
import static io.keytrail.crypto.megolm.TestMessages.seal;
import static io.keytrail.crypto.megolm.TestMessages.varintField;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.keytrail.crypto.UnpaddedBase64;
import org.junit.jupiter.api.Test;

/** The v3 wire format: a small but real protobuf reader between the version byte and the MAC. */
class MegolmMessageDecodingTest {
    private static final byte[] PLAINTEXT = "hello".getBytes(StandardCharsets.UTF_8);
    private static final MegolmException.Reason MALFORMED = MegolmException.Reason.MALFORMED_MESSAGE;

    private static byte[] ct(long index) {
        return TestMessages.ciphertext(index, PLAINTEXT);
    }

    private static String decrypt(String message) {
        return TestMessages.inbound().decrypt(message).utf8();
    }

    @Test
    void fieldsInReverseOrder_decrypt() {
        assertThat(decrypt(seal(3, concat(bytesField(2, ct(3)), varintField(1, 3))))).isEqualTo("hello");
    }

    @Test
    void unknownFieldsOfEveryScalarWireType_areSkipped() {
        byte[] fixed64 = concat(new byte[] {(byte) (7 << 3 | 1)}, new byte[8]);
        byte[] fixed32 = concat(new byte[] {(byte) (8 << 3 | 5)}, new byte[4]);
        byte[] payload = concat(varintField(5, 1L << 40), varintField(1, 2), bytesField(6, new byte[300]),
                fixed64, bytesField(2, ct(2)), fixed32, varintField(1000, 7));
        String message = seal(2, payload);
        assertThat(MegolmMessage.parse(message).messageIndex()).isEqualTo(2);
        assertThat(decrypt(message)).isEqualTo("hello");
    }

    @Test
    void multiByteIndexVarints_decode() {
        for (long index : new long[] {127, 128, 300, 16_384, 0xFFFF_FFFFL}) {
            byte[] payload = concat(varintField(1, index), bytesField(2, new byte[16]));
            assertThat(MegolmMessage.parse(seal(0, payload)).messageIndex()).isEqualTo(index);
        }
    }

    @Test
    void repeatedIndexField_lastOccurrenceWins_likeProtobuf() {
        byte[] payload = concat(varintField(1, 9), bytesField(2, ct(4)), varintField(1, 4));
        assertThat(MegolmMessage.parse(seal(4, payload)).messageIndex()).isEqualTo(4);
    }

    @Test
    void missingIndexOrCiphertext_isMalformed_evenWhenAuthenticated() {
        assertRefused(() -> decrypt(seal(0, bytesField(2, ct(0)))), MALFORMED).hasMessageContaining("no message index");
        assertRefused(() -> decrypt(seal(0, concat(varintField(1, 0), varintField(3, 0)))), MALFORMED)
                .hasMessageContaining("no ciphertext");
    }

    @Test
    void indexVarintRunningIntoTheMac_isTruncated() {
        byte[] payload = concat(bytesField(2, ct(0)), new byte[] {0x08, (byte) 0x80});
        assertRefused(() -> MegolmMessage.parse(seal(0, payload)), MALFORMED).hasMessageContaining("truncated");
    }

    @Test
    void varintLongerThanTenBytesOrOverflowing64Bits_isRejected() {
        byte[] eleven = {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
        assertRefused(() -> MegolmMessage.parse(seal(0, concat(eleven, bytesField(2, ct(0))))), MALFORMED)
                .hasMessageContaining("varint");
        byte[] overflow = {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x02};
        assertRefused(() -> MegolmMessage.parse(seal(0, concat(overflow, bytesField(2, ct(0))))), MALFORMED)
                .hasMessageContaining("overflows 64 bits");
    }

    @Test
    void indexAbove32Bits_isRejected() {
        byte[] payload = concat(varintField(1, 1L << 32), bytesField(2, ct(0)));
        assertRefused(() -> MegolmMessage.parse(seal(0, payload)), MALFORMED).hasMessageContaining("32 bits");
    }

    @Test
    void lengthPrefixBeyondThePayload_isTruncated() {
        byte[] payload = concat(varintField(1, 0), new byte[] {0x12, 0x7F}, ct(0));
        assertRefused(() -> MegolmMessage.parse(seal(0, payload)), MALFORMED).hasMessageContaining("remain before the MAC");
    }

    @Test
    void knownFieldWithWrongWireType_groupWireTypeAndFieldZero_areRejected() {
        assertRefused(() -> MegolmMessage.parse(seal(0, concat(bytesField(1, new byte[1]), bytesField(2, ct(0))))),
                MALFORMED).hasMessageContaining("wire type 2, expected 0");
        assertRefused(() -> MegolmMessage.parse(seal(0, concat(varintField(1, 0), new byte[] {0x1B}))), MALFORMED)
                .hasMessageContaining("wire type 3");
        assertRefused(() -> MegolmMessage.parse(seal(0, concat(new byte[] {0x00, 0x00}, varintField(1, 0)))), MALFORMED)
                .hasMessageContaining("field number 0");
    }

    @Test
    void otherVersionBytes_areUnsupported() {
        for (int version : new int[] {0, 2, 4, 0xFF}) {
            byte[] bytes = UnpaddedBase64.decode(seal(0, concat(varintField(1, 0), bytesField(2, ct(0)))));
            bytes[0] = (byte) version;
            assertRefused(() -> MegolmMessage.fromBytes(bytes), MegolmException.Reason.UNSUPPORTED_VERSION)
                    .hasMessageContaining("version " + version);
        }
    }

    @Test
    void emptyShortOrNonBase64Input_isMalformed() {
        assertRefused(() -> MegolmMessage.parse(""), MALFORMED).hasMessageContaining("empty");
        assertRefused(() -> MegolmMessage.parse(null), MALFORMED);
        assertRefused(() -> MegolmMessage.parse("AwgA*"), MALFORMED).hasMessageContaining("base64");
        assertRefused(() -> MegolmMessage.fromBytes(concat(new byte[] {3}, new byte[72])), MALFORMED)
                .hasMessageContaining("73 bytes");
    }

    @Test
    void writtenMessage_alwaysCarriesTheIndexFieldEvenAtZero() {
        String message = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE), TestMessages.KEY)
                .encrypt("x");
        assertThat(message).startsWith("AwgAEh");
    }
}
