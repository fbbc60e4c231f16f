package io.keytrail.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.axonframework.common.DateTimeUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored events as they are in the store's {@code domain_event_entry} table, one JSON object each:
 * {@code {"global_index","time","aggregate","sequence","type","revision","payload"}}, the payload being the
 * stored JSON itself (Keytrail's Jackson serializer writes UTF-8 JSON into the binary {@code payload} column).
 * A sealed session key is shown as {@code "sealed:<keyId>"} only: neither the ciphertext nor anything else of
 * it. Read with plain JDBC in pages of {@link #PAGE} rows by global index, so it needs no engine, works on a
 * store a service is writing to (PostgreSQL) and can follow new events. Reads only.
 */
public final class EventListing {
    /** Rows per query. */
    static final int PAGE = 500;

    /** Which events: every criterion that is not null must hold. */
    public record Filter(String aggregate, String type, Instant since) {
        public static final Filter ALL = new Filter(null, null, null);
    }

    private final Connection connection;
    private final ObjectMapper mapper;

    public EventListing(Connection connection, ObjectMapper mapper) {
        this.connection = connection;
        this.mapper = mapper;
    }

    /** Lists every matching event after {@code afterIndex}, in global order; returns the last global index seen. */
    public long list(Filter filter, long afterIndex, Consumer<ObjectNode> out) throws SQLException {
        long last = afterIndex;
        while (true) {
            List<ObjectNode> page = page(filter, last);
            for (ObjectNode event : page) {
                out.accept(event);
            }
            if (!page.isEmpty()) {
                last = page.get(page.size() - 1).path("global_index").asLong();
            }
            if (page.size() < PAGE) {
                return last;
            }
        }
    }

    /**
     * Lists every matching event, then keeps polling for new ones every {@code poll} until {@code stop} says so
     * or the thread is interrupted.
     */
    public void follow(Filter filter, Consumer<ObjectNode> out, Duration poll, BooleanSupplier stop)
            throws SQLException {
        long last = list(filter, -1, out);
        while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            last = list(filter, last, out);
        }
    }

    private List<ObjectNode> page(Filter filter, long after) throws SQLException {
        StringBuilder sql = new StringBuilder("select global_index, time_stamp, aggregate_identifier, sequence_number, "
                + "payload_type, payload_revision, payload from domain_event_entry where global_index > ?");
        List<Object> args = new ArrayList<>();
        args.add(after);
        if (filter.aggregate() != null) {
            sql.append(" and aggregate_identifier = ?");
            args.add(filter.aggregate());
        }
        if (filter.type() != null) {
            // Stored as the Java class name (io.keytrail.session.SessionEvents$SessionReceived); the simple name suffices.
            sql.append(" and (payload_type = ? or payload_type like ?)");
            args.add(filter.type());
            args.add("%$" + filter.type());
        }
        if (filter.since() != null) {
            // Axon stores the time as ISO-8601 text of a fixed shape (milliseconds, Z), so text order is time order.
            sql.append(" and time_stamp >= ?");
            args.add(DateTimeUtils.formatInstant(filter.since()));
        }
        sql.append(" order by global_index limit ").append(PAGE);
        List<ObjectNode> out = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setObject(i + 1, args.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(row(rows));
                }
            }
        }
        return out;
    }

    private ObjectNode row(ResultSet rows) throws SQLException {
        ObjectNode event = mapper.createObjectNode();
        event.put("global_index", rows.getLong(1));
        event.put("time", rows.getString(2));
        event.put("aggregate", rows.getString(3));
        event.put("sequence", rows.getLong(4));
        String type = rows.getString(5);
        event.put("type", type.substring(Math.max(type.lastIndexOf('$'), type.lastIndexOf('.')) + 1));
        event.put("class", type);
        event.put("revision", rows.getString(6));
        event.set("payload", payload(rows.getBytes(7)));
        return event;
    }

    private JsonNode payload(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode payload;
        try {
            payload = mapper.readTree(text);
        } catch (Exception e) {
            return mapper.getNodeFactory().textNode("(not JSON: " + bytes.length + " bytes)");
        }
        mask(payload);
        return payload;
    }

    /**
     * Key material in a payload, at any depth: a field named like {@code sealedSessionKey}, a wrapped key or a
     * session key is replaced by {@code sealed:<keyId>}, whatever it holds.
     */
    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("sealed") || lower.contains("wrapped") || lower.equals("sessionkey")
                        || lower.equals("session_key")) {
                    if (value.isNull()) {
                        continue;
                    }
                    object.put(name, value.isTextual() ? sealedAs(value.asText()) : "sealed");
                } else {
                    mask(value);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(EventListing::mask);
        }
    }

    /** {@code v1:<keyId>:<nonce>:<ciphertext>} becomes {@code sealed:<keyId>}; anything else {@code sealed}. */
    static String sealedAs(String sealed) {
        String[] parts = sealed.split(":");
        return parts.length >= 3 ? "sealed:" + parts[1] : "sealed";
    }
}
