package io.keytrail.trust;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * matrix-rust-sdk's JSON for {@link VerificationState} and {@link VerificationLevel} (reference 5.4),
 * including the old names it still reads: {@code "PreviouslyVerified"} for the level
 * {@code VerificationViolation}; {@code "Trusted"}, {@code "Untrusted"} and {@code "UnknownDevice"} for
 * the states {@code Verified}, {@code Unverified(UnsignedDevice)} and {@code Unverified(None(MissingDevice))}.
 */
public final class VerificationJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VerificationJson() {
    }

    public static JsonNode write(VerificationLevel level) {
        switch (level) {
            case UNVERIFIED_IDENTITY:
                return TextNode.valueOf("UnverifiedIdentity");
            case VERIFICATION_VIOLATION:
                return TextNode.valueOf("VerificationViolation");
            case UNSIGNED_DEVICE:
                return TextNode.valueOf("UnsignedDevice");
            case MISMATCHED_SENDER:
                return TextNode.valueOf("MismatchedSender");
            default:
                ObjectNode none = NODES.objectNode();
                none.put("None", level.deviceLinkProblem().orElseThrow().jsonName());
                return none;
        }
    }

    public static JsonNode write(VerificationState state) {
        if (state instanceof VerificationState.Unverified u) {
            ObjectNode tagged = NODES.objectNode();
            tagged.set("Unverified", write(u.level()));
            return tagged;
        }
        return TextNode.valueOf("Verified");
    }

    /** Reads a level; throws {@link IllegalArgumentException} naming what was wrong. */
    public static VerificationLevel readLevel(JsonNode json) {
        if (json != null && json.isTextual()) {
            switch (json.textValue()) {
                case "UnverifiedIdentity":
                    return VerificationLevel.UNVERIFIED_IDENTITY;
                case "VerificationViolation":
                case "PreviouslyVerified":
                    return VerificationLevel.VERIFICATION_VIOLATION;
                case "UnsignedDevice":
                    return VerificationLevel.UNSIGNED_DEVICE;
                case "MismatchedSender":
                    return VerificationLevel.MISMATCHED_SENDER;
                default:
                    break;
            }
        } else if (json != null && json.isObject() && json.size() == 1 && json.path("None").isTextual()) {
            String problem = json.get("None").textValue();
            for (DeviceLinkProblem p : DeviceLinkProblem.values()) {
                if (p.jsonName().equals(problem)) {
                    return VerificationLevel.none(p);
                }
            }
        }
        throw new IllegalArgumentException("unknown verification level " + json + " (expected \"UnverifiedIdentity\", "
                + "\"VerificationViolation\", \"UnsignedDevice\", {\"None\":\"MissingDevice\"}, "
                + "{\"None\":\"InsecureSource\"} or \"MismatchedSender\")");
    }

    /** Reads a state; throws {@link IllegalArgumentException} naming what was wrong. */
    public static VerificationState readState(JsonNode json) {
        if (json != null && json.isTextual()) {
            switch (json.textValue()) {
                case "Verified":
                case "Trusted":
                    return VerificationState.VERIFIED;
                case "Untrusted":
                    return VerificationState.unverified(VerificationLevel.UNSIGNED_DEVICE);
                case "UnknownDevice":
                    return VerificationState.unverified(VerificationLevel.NONE_MISSING_DEVICE);
                default:
                    break;
            }
        } else if (json != null && json.isObject() && json.size() == 1 && json.has("Unverified")) {
            return VerificationState.unverified(readLevel(json.get("Unverified")));
        }
        throw new IllegalArgumentException("unknown verification state " + json
                + " (expected \"Verified\" or {\"Unverified\":<level>})");
    }

    public static final class LevelSerializer extends TreeCodec.Writer<VerificationLevel> {
        public LevelSerializer() {
            super(VerificationLevel.class, VerificationJson::write);
        }
    }

    public static final class LevelDeserializer extends TreeCodec.Reader<VerificationLevel> {
        public LevelDeserializer() {
            super(VerificationLevel.class, VerificationJson::readLevel);
        }
    }

    public static final class StateSerializer extends TreeCodec.Writer<VerificationState> {
        public StateSerializer() {
            super(VerificationState.class, VerificationJson::write);
        }
    }

    public static final class StateDeserializer extends TreeCodec.Reader<VerificationState> {
        public StateDeserializer() {
            super(VerificationState.class, VerificationJson::readState);
        }
    }
}
