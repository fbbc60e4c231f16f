package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.session.BackupMacCheck;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;

/**
 * Golden files for the optional fields issue 12 added to revision 1 of two events (ADR 0018): the
 * {@code SessionImported} claim ({@code claimedSender}, {@code claimedSenderData}) and backup MAC
 * ({@code backupMac}), and {@code SessionReceived.authenticatedBy}. They are written only when set, so the
 * revision-1 files without them ({@link GoldenEventsTest}) stay byte-identical; these files pin the form
 * with them: {@code events/<Event>.rev1.<variant>.json}.
 *
 * <p>To write a missing file: {@code mvn test -Dtest=GoldenOptionalFieldsTest
 * -Dkeytrail.golden.write=src/test/resources/events}; an existing file never changes.
 */
class GoldenOptionalFieldsTest {

    static Map<String, Object> variants() {
        Map<String, Object> all = GoldenEvents.all();
        SessionImported imported = (SessionImported) all.get("SessionImported");
        SessionReceived received = (SessionReceived) all.get("SessionReceived");
        KnownSenderData known = new KnownSenderData(GoldenEvents.ALICE.userId(), GoldenEvents.PHONE,
                GoldenEvents.ALICE.masterKey().publicKey());
        Map<String, Object> variants = new LinkedHashMap<>();
        variants.put("SessionImported.rev1.claimed", new SessionImported(imported.roomId(), imported.sessionId(),
                imported.source(), imported.claimedSenderKey(), imported.claimedEd25519(), imported.forwardingChain(),
                imported.sharedHistory(), imported.firstKnownIndex(), imported.sealedSessionKey(), imported.senderData(),
                imported.rule(), GoldenEvents.ALICE.userId(), new SenderData.SenderUnverified(known),
                BackupMacCheck.MSC4048_MAC2_INVALID));
        variants.put("SessionReceived.rev1.mac2", new SessionReceived(received.roomId(), received.sessionId(),
                received.sender(), received.senderKey(), received.claimedEd25519(), received.sharedHistory(),
                received.firstKnownIndex(), received.sealedSessionKey(), received.senderData(), received.rule(),
                received.evidence(), BackupMacCheck.MSC4048_MAC2_VALID));
        return variants;
    }

    static Iterable<String> variantNames() {
        return variants().keySet();
    }

    @ParameterizedTest
    @MethodSource("variantNames")
    void eventWithTheOptionalFields_serializesToExactlyItsGoldenBytes_andReadsBack(String name) throws IOException {
        Object event = variants().get(name);
        writeIfAsked(name, event);
        byte[] file = golden(name);

        SerializedObject<byte[]> written = GoldenEventsTest.SERIALIZER.serialize(event, byte[].class);
        assertThat(new String(written.getData(), StandardCharsets.UTF_8))
                .isEqualTo(new String(file, StandardCharsets.UTF_8));

        Object read = GoldenEventsTest.SERIALIZER.<byte[], Object>deserialize(new SimpleSerializedObject<>(file,
                byte[].class, new SimpleSerializedType(event.getClass().getName(), "1")));
        JsonNode readTree = GoldenEventsTest.SERIALIZER.getObjectMapper().valueToTree(read);
        assertThat(readTree).isEqualTo(GoldenEventsTest.SERIALIZER.getObjectMapper().valueToTree(event));
    }

    @ParameterizedTest
    @MethodSource("variantNames")
    void revisionOneFileWithoutTheOptionalFields_readsBackWithThemNull(String name) throws IOException {
        String base = name.substring(0, name.indexOf('.'));
        Object read = GoldenEventsTest.SERIALIZER.<byte[], Object>deserialize(new SimpleSerializedObject<>(
                GoldenEventsTest.golden(base, 1), byte[].class,
                new SimpleSerializedType(variants().get(name).getClass().getName(), "1")));
        if (read instanceof SessionImported e) {
            assertThat(e.claimedSender()).isNull();
            assertThat(e.claimedSenderData()).isNull();
            assertThat(e.backupMac()).isNull();
            assertThat(e.claim()).isNull();
        } else {
            assertThat(((SessionReceived) read).authenticatedBy()).isNull();
        }
    }

    private static void writeIfAsked(String name, Object event) throws IOException {
        String dir = System.getProperty("keytrail.golden.write");
        if (dir != null && !Files.exists(Path.of(dir, name + ".json"))) {
            Files.write(Path.of(dir, name + ".json"), GoldenEventsTest.SERIALIZER.serialize(event, byte[].class).getData());
        }
    }

    private static byte[] golden(String name) throws IOException {
        try (var in = GoldenOptionalFieldsTest.class.getResourceAsStream("/events/" + name + ".json")) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

}
