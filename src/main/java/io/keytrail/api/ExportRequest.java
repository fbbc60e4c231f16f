package io.keytrail.api;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;

/**
 * The body of {@code POST /api/v1/export}, read strictly: {@code passphrase} (required),
 * {@code rounds} (default {@link KeyExportFile#DEFAULT_ROUNDS}, as other clients), {@code room_ids} and
 * {@code session_ids} (optional arrays of strings).
 */
record ExportRequest(String passphrase, int rounds, KeyExportService.Selection selection) {
    /** The spec's recommended minimum: fewer rounds make a stolen export file cheap to brute-force. */
    static final int MIN_ROUNDS = KeyExportFile.MIN_RECOMMENDED_ROUNDS;
    /** Twenty times the default: more would let one request keep a core busy for minutes. */
    static final int MAX_ROUNDS = KeyExportFile.MAX_ROUNDS;
    private static final Set<String> FIELDS = Set.of("passphrase", "rounds", "room_ids", "session_ids");

    @Override
    public String toString() {
        return "ExportRequest[rounds=" + rounds + ", " + selection + "]";
    }

    static ExportRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RefusalException.invalidInput("the body must be {\"passphrase\", \"rounds\"?, \"room_ids\"?,"
                    + " \"session_ids\"?}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw RefusalException.invalidInput("unknown field \"" + field + "\" in an export request; expected "
                        + FIELDS);
            }
        }
        JsonNode passphrase = body.get("passphrase");
        if (passphrase == null || !passphrase.isTextual() || passphrase.textValue().isEmpty()) {
            throw RefusalException.invalidInput("\"passphrase\" is required and must be a non-empty string");
        }
        int rounds = KeyExportFile.DEFAULT_ROUNDS;
        JsonNode roundsNode = body.get("rounds");
        if (roundsNode != null) {
            if (!roundsNode.isIntegralNumber() || !roundsNode.canConvertToInt()) {
                throw RefusalException.invalidInput("\"rounds\" must be an integer (default "
                        + KeyExportFile.DEFAULT_ROUNDS + ")");
            }
            rounds = roundsNode.intValue();
        }
        checkRounds(rounds);
        return new ExportRequest(passphrase.textValue(), rounds,
                new KeyExportService.Selection(strings(body, "room_ids"), strings(body, "session_ids")));
    }

    /**
     * Every interface (HTTP, facade, CLI) writes exports with between {@link #MIN_ROUNDS} and
     * {@link #MAX_ROUNDS} PBKDF2 rounds (design 11).
     */
    static int checkRounds(int rounds) {
        if (rounds < MIN_ROUNDS || rounds > MAX_ROUNDS) {
            throw RefusalException.invalidInput("\"rounds\" must be between " + MIN_ROUNDS + " and " + MAX_ROUNDS
                    + " (default " + KeyExportFile.DEFAULT_ROUNDS + ", as other clients)");
        }
        return rounds;
    }

    static Set<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        Set<String> out = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw RefusalException.invalidInput("\"" + field + "\" must be an array of strings");
        }
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw RefusalException.invalidInput("\"" + field + "\" must be an array of non-empty strings");
            }
            out.add(item.textValue());
        }
        return out;
    }
}
