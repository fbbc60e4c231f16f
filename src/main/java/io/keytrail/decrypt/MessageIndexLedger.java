package io.keytrail.decrypt;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Remembers which event first used each message index of a session (Matrix spec, Megolm replay
 * protection): a homeserver that re-sends an old ciphertext as a new event must not get it shown
 * again as if it were new, while the same event may be decrypted any number of times.
 */
@Component
public class MessageIndexLedger {
    private final DecryptedIndexRows rows;

    public MessageIndexLedger(DecryptedIndexRows rows) {
        this.rows = rows;
    }

    /**
     * Claims {@code (session, index)} for {@code eventId} unless an event already holds it.
     *
     * @return the event id that holds the index now: {@code eventId} itself when it was free or
     *         already ours, another event's id when this is a replay
     */
    public synchronized String claim(String aggregateId, long messageIndex, String eventId) {
        var existing = rows.findByAggregateIdAndMessageIndex(aggregateId, messageIndex);
        if (existing.isPresent()) {
            return existing.get().getEventId();
        }
        try {
            rows.saveAndFlush(new DecryptedIndexRow(aggregateId, messageIndex, eventId));
            return eventId;
        } catch (DataIntegrityViolationException e) {
            // another engine instance on the same store claimed it first: its claim stands
            return rows.findByAggregateIdAndMessageIndex(aggregateId, messageIndex).orElseThrow(() -> e).getEventId();
        }
    }
}
