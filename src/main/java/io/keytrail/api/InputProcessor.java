package io.keytrail.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.decrypt.DecryptService;
import io.keytrail.imports.ImportIntake;
import io.keytrail.imports.ImportProgress;
import io.keytrail.imports.ImportResult;
import io.keytrail.errors.RefusalException;
import io.keytrail.redecision.KeysIntake;
import io.keytrail.directory.LocalAccount;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.lanes.RoomKeyIntake;
import io.keytrail.session.BackupMacCheck;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.Bounds;
import io.keytrail.matrix.MatrixFormatException;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.trust.SenderDataJson;
import io.keytrail.trust.TrustPolicy;

/**
 * The one entry point behind all three interfaces (replay, HTTP, Java facade): takes an input object
 * of design section 10 and answers its result object, or throws {@link RefusalException}.
 *
 * <p>Input objects are strict: an unknown top-level field is an error (a typo must not be silently
 * ignored), except fields starting with {@code _}, which recordings may use as comments.
 */
@Component
public class InputProcessor {
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("own_device", Set.of("user_id", "device_id", "curve25519", "ed25519")),
            Map.entry("keys_query_response", Set.of("body")),
            Map.entry("room_key", Set.of("sender", "sender_key", "plaintext")),
            Map.entry("verify_master_key", Set.of("user_id", "master_key")),
            Map.entry("withdraw_verification", Set.of("user_id")),
            Map.entry("decrypt", Set.of("room_id", "policy", "event")),
            Map.entry("import_room_keys", Set.of("keys")),
            Map.entry("import_key_export", Set.of("passphrase", "file")),
            Map.entry("import_backup", Set.of("decryption_key", "body")),
            Map.entry("forwarded_room_key", Set.of("sender", "sender_key", "plaintext")));
    /** Input types whose result is an {@link ImportResult}. */
    public static final Set<String> IMPORT_TYPES = Set.of("import_room_keys", "import_key_export", "import_backup",
            "forwarded_room_key");

    /**
     * At most this many consecutive room keys are decided in one unit of work: the unit holds its
     * senders' locks until it commits, so an unbounded run would hold up their keys queries.
     */
    public static final int MAX_ROOM_KEYS_TOGETHER = 100;

    private final ObjectMapper mapper;
    private final LocalAccount local;
    private final RoomKeyIntake roomKeys;
    private final KeysIntake keys;
    private final DecryptService decryption;
    private final ImportIntake imports;

    public InputProcessor(ObjectMapper mapper, RoomKeyIntake roomKeys, KeysIntake keys, DecryptService decryption,
                          ImportIntake imports, LocalAccount local) {
        this.mapper = mapper;
        this.local = local;
        this.roomKeys = roomKeys;
        this.keys = keys;
        this.decryption = decryption;
        this.imports = imports;
    }

    public ObjectNode process(JsonNode input) {
        return process(input, ImportProgress.NONE);
    }

    /**
     * A list of inputs in order (an HTTP array, a run of replay lines, a facade list), each answered
     * as {@code {"result":…}} or {@code {"error":{"code","message"}}} like {@link Outcomes#run}. A run of
     * consecutive room keys is decided together (ADR 0017), a run of consecutive decrypts is decrypted
     * together (ADR 0021); every input is still answered as if run alone, in order.
     */
    public List<ObjectNode> processAll(List<JsonNode> inputs) {
        List<ObjectNode> outcomes = new ArrayList<>(inputs.size());
        for (List<JsonNode> group : groups(inputs)) {
            if (group.size() == 1) {
                outcomes.add(Outcomes.run(mapper, this, group.get(0)));
            } else if (isRoomKey(group.get(0))) {
                outcomes.addAll(roomKeys(group));
            } else {
                outcomes.addAll(decrypts(group));
            }
        }
        return outcomes;
    }

    /**
     * Consecutive inputs in the groups that {@link #processAll} runs together (in order): runs of at most
     * {@value #MAX_ROOM_KEYS_TOGETHER} room keys, runs of at most {@link DecryptService#MAX_TOGETHER}
     * decrypts, every other input alone.
     */
    public static List<List<JsonNode>> groups(Iterable<JsonNode> inputs) {
        List<List<JsonNode>> groups = new ArrayList<>();
        List<JsonNode> run = new ArrayList<>();
        String runKind = null;
        for (JsonNode input : inputs) {
            String kind = batchKind(input);
            if (kind != null && kind.equals(runKind) && run.size() < limit(kind)) {
                run.add(input);
                continue;
            }
            if (!run.isEmpty()) {
                groups.add(run);
                run = new ArrayList<>();
            }
            run.add(input);
            runKind = kind;
            if (kind == null) {
                groups.add(run);
                run = new ArrayList<>();
            }
        }
        if (!run.isEmpty()) {
            groups.add(run);
        }
        return groups;
    }

    /** {@code room_key} or {@code decrypt} for an input that runs with its neighbours of the same kind, else null. */
    public static String batchKind(JsonNode input) {
        if (input == null || !input.isObject()) {
            return null;
        }
        String type = input.path("type").textValue();
        return "room_key".equals(type) || "decrypt".equals(type) ? type : null;
    }

    /** How many inputs of {@code kind} ({@link #batchKind}) run together at most. */
    public static int limit(String kind) {
        return "room_key".equals(kind) ? MAX_ROOM_KEYS_TOGETHER : DecryptService.MAX_TOGETHER;
    }

    private static boolean isRoomKey(JsonNode input) {
        return "room_key".equals(batchKind(input));
    }

    /** Decrypts in order, decrypted together (ADR 0021), each answered as {@link Outcomes#run} would answer it alone. */
    private List<ObjectNode> decrypts(List<JsonNode> inputs) {
        ObjectNode[] outcomes = new ObjectNode[inputs.size()];
        List<DecryptService.Request> requests = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            try {
                checkFields("decrypt", input);
                requests.add(decryptRequest(input));
                positions.add(i);
            } catch (RuntimeException e) {
                outcomes[i] = Outcomes.failure(mapper, e);
            }
        }
        List<DecryptService.Outcome> decrypted = decryption.decryptAll(requests);
        for (int k = 0; k < decrypted.size(); k++) {
            DecryptService.Outcome d = decrypted.get(k);
            outcomes[positions.get(k)] = d.failure() != null ? Outcomes.failure(mapper, d.failure())
                    : Outcomes.result(mapper, decryptResult(d.decrypted()));
        }
        return List.of(outcomes);
    }

    /** Room keys in order, each answered as {@link Outcomes#run} would answer it alone. */
    private List<ObjectNode> roomKeys(List<JsonNode> inputs) {
        ObjectNode[] outcomes = new ObjectNode[inputs.size()];
        List<RoomKeyIntake.RoomKeyInput> keys = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            try {
                checkFields("room_key", input);
                keys.add(new RoomKeyIntake.RoomKeyInput(text(input, "sender"), text(input, "sender_key"),
                        object(input, "plaintext")));
                positions.add(i);
            } catch (RuntimeException e) {
                outcomes[i] = Outcomes.failure(mapper, e);
            }
        }
        List<RoomKeyIntake.Received> received = roomKeys.receiveAll(keys, local.ownDevice());
        for (int k = 0; k < received.size(); k++) {
            RoomKeyIntake.Received r = received.get(k);
            outcomes[positions.get(k)] = r.failure() != null ? Outcomes.failure(mapper, r.failure())
                    : Outcomes.result(mapper, roomKeyResult(r.view()));
        }
        return List.of(outcomes);
    }

    /** As {@link #process(JsonNode)}; imports report their progress to {@code progress} after each batch. */
    public ObjectNode process(JsonNode input, ImportProgress progress) {
        if (input == null || !input.isObject()) {
            throw RefusalException.invalidInput("an input must be a JSON object with a \"type\"");
        }
        String type = input.path("type").textValue();
        if (type == null || !FIELDS.containsKey(type)) {
            throw RefusalException.invalidInput("unknown or missing input type " + Bounds.shorten(input.path("type").toString())
                    + "; expected one of " + FIELDS.keySet());
        }
        checkFields(type, input);
        return switch (type) {
            case "own_device" -> ownDevice(input);
            case "keys_query_response" -> keysResult(keys.recordKeysQuery(object(input, "body")));
            case "room_key" -> roomKey(input);
            case "verify_master_key" -> keysResult(keys.verifyMasterKey(id(input, "user_id"),
                    key(input, "master_key")));
            case "withdraw_verification" -> keysResult(keys.withdrawVerification(id(input, "user_id")));
            case "decrypt" -> decrypt(input);
            case "import_room_keys" -> importResult(imports.importRoomKeys(array(input, "keys"), progress));
            case "import_key_export" -> importResult(imports.importKeyExport(text(input, "passphrase"),
                    text(input, "file"), progress));
            case "import_backup" -> importResult(imports.importBackup(text(input, "decryption_key"),
                    object(input, "body"), progress));
            case "forwarded_room_key" -> importResult(imports.importForwardedRoomKey(text(input, "sender"),
                    text(input, "sender_key"), object(input, "plaintext"), local.ownDevice()));
            default -> throw new IllegalStateException(type);
        };
    }

    private ObjectNode ownDevice(JsonNode input) {
        try {
            local.set(new OwnDevice(text(input, "user_id"), text(input, "device_id"),
                    Curve25519PublicKey.parse(text(input, "curve25519")), Ed25519PublicKey.parse(text(input, "ed25519"))));
        } catch (CryptoInputException | MatrixFormatException e) {
            throw RefusalException.invalidInput("own_device: " + e.getMessage());
        }
        return mapper.createObjectNode();
    }

    private ObjectNode roomKey(JsonNode input) {
        return roomKeyResult(roomKeys.receive(text(input, "sender"), text(input, "sender_key"),
                object(input, "plaintext"), local.ownDevice()));
    }

    private ObjectNode roomKeyResult(SessionView view) {
        ObjectNode out = mapper.createObjectNode();
        out.put("room_id", view.roomId());
        out.put("session_id", view.sessionId());
        out.set("sender_data", SenderDataJson.write(view.senderData()));
        return out;
    }

    private ObjectNode decrypt(JsonNode input) {
        DecryptService.Request request = decryptRequest(input);
        return decryptResult(decryption.decrypt(request.roomId(), request.policy(), request.event()));
    }

    /** A {@code decrypt} input's fields, checked in the order a refusal names them. */
    private static DecryptService.Request decryptRequest(JsonNode input) {
        String policyName = text(input, "policy");
        TrustPolicy policy;
        try {
            policy = TrustPolicy.valueOf(policyName);
        } catch (IllegalArgumentException e) {
            throw RefusalException.invalidInput("unknown policy " + Bounds.shorten(policyName) + "; expected SHOW_ALL, "
                    + "CROSS_SIGNED_OR_LEGACY, CROSS_SIGNED or VERIFIED_ONLY");
        }
        return new DecryptService.Request(text(input, "room_id"), policy, object(input, "event"));
    }

    private ObjectNode decryptResult(DecryptService.Decrypted d) {
        ObjectNode out = mapper.createObjectNode();
        out.set("plaintext", d.plaintext());
        out.set("verification_state", d.verificationState());
        out.put("sender_device", d.senderDevice());
        return out;
    }

    /**
     * {@code {"imported":[{room_id,session_id,sender_data,claimed_owner?,backup_mac?}],"failed":[{session_id,code,message}]}};
     * {@code backup_mac} is {@code "valid"} or {@code "invalid"} for a backup entry with an MSC4048 {@code mac2}.
     */
    ObjectNode importResult(ImportResult result) {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode imported = out.putArray("imported");
        for (ImportResult.Imported i : result.imported()) {
            ObjectNode entry = imported.addObject().put("room_id", i.roomId()).put("session_id", i.sessionId());
            entry.set("sender_data", SenderDataJson.write(i.senderData()));
            // Only when there is something to say (ADR 0018), so imports from other clients answer as before.
            if (i.claim() != null) {
                entry.set("claimed_owner", Views.claim(mapper, i.claim()));
            }
            if (i.backupMac() != null) {
                entry.put("backup_mac", i.backupMac() == BackupMacCheck.MSC4048_MAC2_VALID ? "valid" : "invalid");
            }
        }
        ArrayNode failed = out.putArray("failed");
        for (ImportResult.Failed f : result.failed()) {
            failed.addObject().put("session_id", f.sessionId()).put("code", f.code().name()).put("message", f.message());
        }
        return out;
    }

    private ObjectNode keysResult(KeysResult result) {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode updated = out.putArray("updated");
        result.updated().forEach(v -> updated.add(Views.session(mapper, v)));
        if (result.rejected() != null) {
            ArrayNode rejected = out.putArray("rejected");
            result.rejected().forEach(r -> rejected.addObject().put("user_id", r.userId()).put("what", r.what())
                    .put("reason", r.reason()));
        }
        return out;
    }

    private static void checkFields(String type, JsonNode input) {
        Set<String> allowed = FIELDS.get(type);
        for (Iterator<String> it = input.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("type") && !field.startsWith("_") && !allowed.contains(field)) {
                throw RefusalException.invalidInput("unknown field \"" + Bounds.shorten(field) + "\" in a " + type
                        + " input; expected " + allowed);
            }
        }
    }

    private static String text(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw RefusalException.invalidInput("\"" + field + "\" is required and must be a non-empty string");
        }
        return value.textValue();
    }

    /** A user, room or device id: also at most 255 bytes (design section 11). */
    private static String id(JsonNode input, String field) {
        String value = text(input, field);
        if (!Bounds.isIdSized(value)) {
            throw RefusalException.invalidInput("\"" + field + "\" is longer than " + Bounds.MAX_ID_BYTES
                    + " bytes, the Matrix limit for ids");
        }
        return value;
    }

    private static String key(JsonNode input, String field) {
        String value = text(input, field);
        try {
            return Ed25519PublicKey.parse(value).toBase64();
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput(field + ": " + e.getMessage());
        }
    }

    private static JsonNode array(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.isArray()) {
            throw RefusalException.invalidInput("\"" + field + "\" is required and must be a JSON array");
        }
        return value;
    }

    private static JsonNode object(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.isObject()) {
            throw RefusalException.invalidInput("\"" + field + "\" is required and must be a JSON object");
        }
        return value;
    }
}
