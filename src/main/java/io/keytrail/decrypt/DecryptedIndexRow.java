package io.keytrail.decrypt;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * One Megolm message index that was decrypted, and the event it belonged to (replay protection,
 * Matrix spec "Megolm": the same index under another event is a replay). Not derived from events: it
 * records what the engine has shown, so it lives beside the read models and survives restarts.
 */
@Entity
@Table(name = "kt_decrypted_index", uniqueConstraints = @UniqueConstraint(name = "kt_decrypted_index_ref",
        columnNames = {"aggregateId", "messageIndex"}))
public class DecryptedIndexRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    /** The session ({@code roomId|sessionId}). */
    @Column(nullable = false, length = 1024)
    private String aggregateId;
    @Column(nullable = false)
    private long messageIndex;
    @Column(nullable = false, length = 1024)
    private String eventId;

    protected DecryptedIndexRow() {
    }

    public DecryptedIndexRow(String aggregateId, long messageIndex, String eventId) {
        this.aggregateId = aggregateId;
        this.messageIndex = messageIndex;
        this.eventId = eventId;
    }

    public String getAggregateId() {
        return aggregateId;
    }

    public long getMessageIndex() {
        return messageIndex;
    }

    public String getEventId() {
        return eventId;
    }
}
