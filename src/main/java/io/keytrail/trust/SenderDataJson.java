package io.keytrail.trust;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * matrix-rust-sdk's JSON for {@link SenderData} (reference section 1.2): writes the current format,
 * reads it plus every legacy form upstream still reads.
 */
public final class SenderDataJson {
    private SenderDataJson() {
    }

    /** The externally tagged JSON, e.g. {@code {"UnknownDevice":{"legacy_session":true}}}. */
    public static ObjectNode write(SenderData senderData) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Reads current and legacy forms; throws {@link IllegalArgumentException} with a clear message. */
    public static SenderData read(JsonNode json) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static final class Serializer extends StdSerializer<SenderData> {
        public Serializer() {
            super(SenderData.class);
        }

        @Override
        public void serialize(SenderData value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeTree(write(value));
        }
    }

    public static final class Deserializer extends StdDeserializer<SenderData> {
        public Deserializer() {
            super(SenderData.class);
        }

        @Override
        public SenderData deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            return read(node);
        }
    }
}
