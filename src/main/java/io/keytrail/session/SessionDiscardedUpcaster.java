package io.keytrail.session;

import java.util.Arrays;

import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.trust.DiscardCause;

/**
 * Reads {@code SessionDiscarded} revision 1 as revision 2 (ADR 0007, ADR 0013). Revision 1 stored why a
 * session was discarded as a free string {@code reason}: the word {@code "TAMPERING"}, or the name of the
 * refusal code a proven mismatch stands for; every reader had to compare strings and guess which vocabulary
 * a value came from. Revision 2 splits it into a typed {@code cause} and, for a mismatch, a typed
 * {@code code}. The stored row is never changed; this runs on every read (aggregate load, processors,
 * replay, audit), because Spring Boot's Axon configuration puts every {@code EventUpcaster} bean in the
 * store's upcaster chain.
 *
 * <p>A {@code reason} that is neither (no revision 1 writer produced one) is kept visible rather than
 * lost: the event reads as a proven mismatch without a code, and the text is appended to the detail.
 */
@Component
@Order(0)
public class SessionDiscardedUpcaster extends SingleEventUpcaster {
    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(SessionDiscarded.class.getName(),
            "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(SessionDiscarded.class.getName(),
            "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, SessionDiscardedUpcaster::toRevision2);
    }

    /** The payload of revision 1 in the shape of revision 2; fields keep their order, {@code reason} becomes two. */
    static JsonNode toRevision2(JsonNode revision1) {
        if (!(revision1 instanceof ObjectNode old)) {
            return revision1;
        }
        String reason = old.path("reason").asText(null);
        ObjectNode out = old.objectNode();
        old.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("reason")) {
                out.set(field.getKey(), field.getValue());
                return;
            }
            if (DiscardCause.TAMPERING.name().equals(reason)) {
                out.put("cause", DiscardCause.TAMPERING.name());
            } else {
                out.put("cause", DiscardCause.PROVEN_MISMATCH.name());
                if (isRefusalCode(reason)) {
                    out.put("code", reason);
                }
            }
        });
        if (reason != null && !DiscardCause.TAMPERING.name().equals(reason) && !isRefusalCode(reason)) {
            String detail = old.path("detail").asText("");
            out.put("detail", detail + (detail.isEmpty() ? "" : " ") + "(recorded reason: " + reason + ")");
        }
        if (!out.has("cause")) {
            out.put("cause", DiscardCause.PROVEN_MISMATCH.name());
        }
        return out;
    }

    private static boolean isRefusalCode(String name) {
        return name != null && Arrays.stream(RefusalCode.values()).anyMatch(c -> c.name().equals(name));
    }
}
