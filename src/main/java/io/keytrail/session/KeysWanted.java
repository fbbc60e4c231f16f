package io.keytrail.session;

import java.util.Optional;

import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.SenderData;

/**
 * When a decision recorded for a session needs the homeserver's keys (design section 4), written once for
 * every place that records one: the aggregate's handlers, the batch write path ({@link
 * MegolmSession#firstCopyEvents}) and the slow lane's catch-up of stores written before {@link
 * SenderKeysWanted} existed (ADR 0019).
 *
 * <ul>
 *   <li>a room key whose creator device we do not know ({@code UnknownDevice}): that device's keys;</li>
 *   <li>a known device while the user's cross-signing identity is unknown ({@code DeviceInfo} decided
 *       without a master key in its evidence): the identity;</li>
 *   <li>an import whose Keytrail export or backup names its owner and claimed key (ADR 0018): that
 *       device's keys, so that the claim can be compared with them.</li>
 * </ul>
 * Anything else (cross-signed, an import without a claim, a session discarded on arrival) needs nothing.
 */
public final class KeysWanted {
    private KeysWanted() {
    }

    /** After a first receipt (or, in stores written before ADR 0013, a copy that replaced an import). */
    public static Optional<SenderKeysWanted> after(SessionReceived e) {
        return wanted(e.roomId(), e.sessionId(), e.sender(), e.senderKey(), e.senderData(), e.evidence());
    }

    /** After an authenticated copy replaced an imported session: decided as a receipt. */
    public static Optional<SenderKeysWanted> after(SessionReceivedOverImport e) {
        return wanted(e.roomId(), e.sessionId(), e.sender(), e.senderKey(), e.senderData(), e.evidence());
    }

    /** After an import: only when it claims an owner and a creator key. */
    public static Optional<SenderKeysWanted> after(SessionImported e) {
        if (e.claimedSender() == null || e.claimedSenderKey() == null) {
            return Optional.empty();
        }
        return Optional.of(new SenderKeysWanted(e.roomId(), e.sessionId(), e.claimedSender(), e.claimedSenderKey(),
                false));
    }

    /** After any event: what the event's decision wants, or nothing for events that decide nothing at arrival. */
    public static Optional<SenderKeysWanted> after(Object event) {
        if (event instanceof SessionReceived e) {
            return after(e);
        } else if (event instanceof SessionReceivedOverImport e) {
            return after(e);
        } else if (event instanceof SessionImported e) {
            return after(e);
        }
        return Optional.empty();
    }

    private static Optional<SenderKeysWanted> wanted(String roomId, String sessionId, String sender, String senderKey,
                                                     SenderData decided, DecisionEvidence evidence) {
        if (sender == null) {
            return Optional.empty();
        }
        if (decided instanceof SenderData.UnknownDevice) {
            return Optional.of(new SenderKeysWanted(roomId, sessionId, sender, senderKey, false));
        }
        if (decided instanceof SenderData.DeviceInfo && (evidence == null || evidence.masterKey() == null)) {
            return Optional.of(new SenderKeysWanted(roomId, sessionId, sender, null, true));
        }
        return Optional.empty();
    }
}
