package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.KeytrailTestApplication;
import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupVectors;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.fixture.Mutations;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the engine's one entry point (issue 9): every input type of design section 10, valid
 * and then mutated (as text through {@link JsonInput}, or as a tree), gives a result or an
 * {@link RefusalException} with a design-section-10 code (not INTERNAL_ERROR); never another exception. One Spring
 * context (the test profile, no web server) serves all tries.
 */
class InputProcessorProperties {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static ConfigurableApplicationContext context;
    private static InputProcessor processor;
    private static List<ObjectNode> valid;

    @BeforeContainer
    static void start() {
        context = new SpringApplicationBuilder(KeytrailTestApplication.class).profiles("test")
                .web(WebApplicationType.NONE).run();
        processor = context.getBean(InputProcessor.class);
        valid = validInputs();
        for (ObjectNode input : valid) {
            assertThat(processor.process(input)).isNotNull(); // the seeds themselves are accepted
        }
    }

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** One valid input of each type, in an order in which each is accepted. */
    private static List<ObjectNode> validInputs() {
        Story story = new Story();
        List<ObjectNode> inputs = new ArrayList<>();
        inputs.add(Story.ownDevice());
        inputs.add(story.roomKey());
        inputs.add(story.keysQuery());
        inputs.add(story.verifyMasterKey());
        inputs.add(story.decrypt("SHOW_ALL", story.encrypt("fuzz"), story.eventId("fuzz")));
        inputs.add(JSON.objectNode().put("type", "withdraw_verification").put("user_id", story.sender.userId()));

        Story imported = new Story();
        ObjectNode key = JSON.objectNode().put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", imported.room)
                .put("session_id", imported.sessionId())
                .put("sender_key", imported.sender.device(imported.deviceId).curve25519().toBase64())
                .put("session_key", InboundGroupSession.fromSessionKey(imported.session.sessionKey())
                        .exportAtFirstKnownIndex().toBase64());
        key.putObject("sender_claimed_keys").put("ed25519",
                imported.sender.device(imported.deviceId).ed25519().publicKey().toBase64());
        key.putArray("forwarding_curve25519_key_chain");
        ObjectNode importRoomKeys = JSON.objectNode().put("type", "import_room_keys");
        importRoomKeys.putArray("keys").add(key);
        inputs.add(importRoomKeys);

        Story backedUp = new Story();
        BackupDecryptionKey backupKey = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(0x33));
        ObjectNode entry = key.deepCopy().put("room_id", backedUp.room).put("session_id", backedUp.sessionId())
                .put("session_key", InboundGroupSession.fromSessionKey(backedUp.session.sessionKey())
                        .exportAtFirstKnownIndex().toBase64());
        entry.remove("room_id");
        entry.remove("session_id");
        ObjectNode backup = JSON.objectNode().put("type", "import_backup").put("decryption_key", backupKey.toBase64());
        ObjectNode data = backup.putObject("body").putObject("rooms").putObject(backedUp.room).putObject("sessions")
                .putObject(backedUp.sessionId());
        data.put("first_message_index", 0).put("forwarded_count", 0).put("is_verified", false);
        data.set("session_data", BackupCipher.encrypt(entry.toString(), backupKey.publicKey(),
                new BackupVectors.FixedRandom(0x44)));
        inputs.add(backup);
        return inputs;
    }

    @Property
    void mutatedInput_givesAResultOrATypedRefusal(@ForAll Random random) {
        ObjectNode seed = valid.get(random.nextInt(valid.size()));
        JsonNode input;
        if (random.nextBoolean()) {
            input = Mutations.tree(seed, random);
        } else {
            try {
                input = JsonInput.parse(Mutations.text(seed.toString(), random));
            } catch (JsonProcessingException e) {
                assertThat(e.getOriginalMessage()).hasSizeLessThan(1_000);
                return; // the edge refuses it as INVALID_INPUT (ApiController, ReplayCommand)
            }
        }
        try {
            assertThat(processor.process(input)).isNotNull();
        } catch (RefusalException e) {
            assertThat(e.code()).isNotNull().isNotEqualTo(RefusalCode.INTERNAL_ERROR);
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(2_000);
        }
    }
}
