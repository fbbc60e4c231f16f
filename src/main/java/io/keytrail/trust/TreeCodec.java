package io.keytrail.trust;

import java.io.IOException;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Plugs a hand-written JSON tree reader/writer (matrix-rust-sdk's formats) into Jackson, so events and
 * API objects holding these types serialize the same way everywhere.
 */
final class TreeCodec {
    private TreeCodec() {
    }

    abstract static class Writer<T> extends StdSerializer<T> {
        private final transient Function<T, JsonNode> write;

        Writer(Class<T> type, Function<T, JsonNode> write) {
            super(type);
            this.write = write;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeTree(write.apply(value));
        }
    }

    /** Reading failures ({@link IllegalArgumentException} with a clear message) become Jackson's own. */
    abstract static class Reader<T> extends StdDeserializer<T> {
        private final transient Function<JsonNode, T> read;

        Reader(Class<T> type, Function<JsonNode, T> read) {
            super(type);
            this.read = read;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            try {
                return read.apply(node);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }
}
