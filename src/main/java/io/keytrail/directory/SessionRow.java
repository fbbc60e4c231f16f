package io.keytrail.directory;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.keytrail.session.ImportClaim;
import io.keytrail.session.SessionState;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A session's current state, indexed the way re-decisions search: by creator curve25519 key and
 * trust rank (keys arrived for a device), and by recorded master key and rank (verification changed).
 * Re-decisions never scan all sessions.
 */
@Entity
@Table(name = "kt_session", indexes = {
        @Index(name = "kt_session_ref", columnList = "roomId,sessionId", unique = true),
        @Index(name = "kt_session_sender_key_rank", columnList = "senderKey,rank"),
        @Index(name = "kt_session_master_key_rank", columnList = "masterKey,rank"),
        @Index(name = "kt_session_sender_rank", columnList = "sender,rank")})
public class SessionRow {
    /**
     * Insertion order, so listings are stable. From a sequence, one value at a time (ADR 0022): with an
     * IDENTITY key Hibernate inserts each row on its own at persist to read its key back, while values
     * taken beforehand let a batch's rows go to the database as one JDBC batch at flush.
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kt_session_position")
    @SequenceGenerator(name = "kt_session_position", sequenceName = "kt_session_row_seq", allocationSize = 1)
    private Long position;
    @Column(nullable = false, unique = true, length = 1024)
    private String aggregateId;
    @Column(nullable = false, length = 512)
    private String roomId;
    @Column(nullable = false)
    private String sessionId;
    private String sender;
    private String senderKey;
    private String claimedEd25519;
    /** The session owner's user id per sender data (null for UnknownDevice). */
    private String ownerUserId;
    /** The MSK recorded in the sender data, for SenderUnverified / VerificationViolation / SenderVerified. */
    private String masterKey;
    @Column(name = "rank")
    private int rank;
    @Column(nullable = false, length = 65535)
    private String senderDataJson;
    private boolean legacy;
    private boolean imported;
    private boolean discarded;
    private long firstKnownIndex;
    @Column(length = 65535)
    private String sealedSessionKey;
    /** Nullable on purpose: a column added to an existing table must not need a default. */
    private Boolean sharedHistory;
    /** Forgotten on purpose (ADR 0012); nullable: a column added to an existing table must not need a default. */
    private Boolean forgotten;
    /** JSON array of the curve25519 keys that forwarded an imported session (a claim); null otherwise. */
    @Column(length = 65535)
    private String forwardingChainJson;
    /** An imported session's claimed owner (ADR 0018), a claim; null otherwise. */
    private String claimedSender;
    /** The sender data an import's writer claimed (matrix-rust-sdk JSON), a claim; null otherwise. */
    @Column(length = 65535)
    private String claimedSenderDataJson;

    protected SessionRow() {
    }

    public SessionRow(String aggregateId, String roomId, String sessionId) {
        this.aggregateId = aggregateId;
        this.roomId = roomId;
        this.sessionId = sessionId;
    }

    /** Insertion order: the key of paged listings ({@link Directory#sessionsAfter}). */
    public Long getPosition() {
        return position;
    }

    public String getAggregateId() {
        return aggregateId;
    }

    public String getRoomId() {
        return roomId;
    }

    public String getSessionId() {
        return sessionId;
    }

    public String getSender() {
        return sender;
    }

    public String getSenderKey() {
        return senderKey;
    }

    public String getClaimedEd25519() {
        return claimedEd25519;
    }

    public String getOwnerUserId() {
        return ownerUserId;
    }

    public String getMasterKey() {
        return masterKey;
    }

    public int getRank() {
        return rank;
    }

    public String getSenderDataJson() {
        return senderDataJson;
    }

    public boolean isLegacy() {
        return legacy;
    }

    public boolean isImported() {
        return imported;
    }

    public boolean isDiscarded() {
        return discarded;
    }

    public boolean isForgotten() {
        return Boolean.TRUE.equals(forgotten);
    }

    public long getFirstKnownIndex() {
        return firstKnownIndex;
    }

    public String getSealedSessionKey() {
        return sealedSessionKey;
    }

    public boolean isSharedHistory() {
        return Boolean.TRUE.equals(sharedHistory);
    }

    public String getForwardingChainJson() {
        return forwardingChainJson;
    }

    public String getClaimedSender() {
        return claimedSender;
    }

    public String getClaimedSenderDataJson() {
        return claimedSenderDataJson;
    }

    /** The import's claim, or null. */
    public ImportClaim claim() {
        SenderData data = claimedSenderDataJson == null ? null
                : SenderDataJson.read(JsonText.parse(claimedSenderDataJson));
        return claimedSender == null && data == null ? null : new ImportClaim(claimedSender, data);
    }

    /**
     * The session state this row shows. The row keeps only what the read model needs: the room key's
     * {@code sender_device_keys} are not in it (null here).
     */
    public SessionState state() {
        List<String> chain = new ArrayList<>();
        JsonNode chainJson = JsonText.parse(forwardingChainJson);
        if (chainJson != null) {
            chainJson.forEach(key -> chain.add(key.asText()));
        }
        SenderData senderData = senderDataJson == null ? null : SenderDataJson.read(JsonText.parse(senderDataJson));
        return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519, null, imported,
                isSharedHistory(), chain, firstKnownIndex, sealedSessionKey, senderData, discarded, claim(),
                isForgotten());
    }

    /** Makes the row show {@code state} (the session's state after the event being projected). */
    void show(SessionState state) {
        setCreator(state.sender(), state.senderKey(), state.claimedEd25519(), state.imported());
        setExportFields(state.sharedHistory(), state.imported() ? chainJson(state.forwardingChain()) : null);
        setRatchet(state.firstKnownIndex(), state.sealedSessionKey());
        SenderData data = state.senderData();
        if (data != null) {
            setSenderData(SenderDataJson.write(data).toString(), data.rank(), data.userId().orElse(null),
                    data.signer().map(signer -> signer.masterKey().toBase64()).orElse(null), data.legacySession());
        }
        setDiscarded(state.discarded());
        ImportClaim claim = state.claim();
        claimedSender = claim == null ? null : claim.userId();
        claimedSenderDataJson = claim == null || claim.senderData() == null ? null
                : SenderDataJson.write(claim.senderData()).toString();
        this.forgotten = state.forgotten();
    }

    private static String chainJson(List<String> chain) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        chain.forEach(array::add);
        return JsonText.write(array);
    }

    /** What a key export needs to write the session back out as other clients expect it. */
    void setExportFields(boolean sharedHistory, String forwardingChainJson) {
        this.sharedHistory = sharedHistory;
        this.forwardingChainJson = forwardingChainJson;
    }

    void setCreator(String sender, String senderKey, String claimedEd25519, boolean imported) {
        this.sender = sender;
        this.senderKey = senderKey;
        this.claimedEd25519 = claimedEd25519;
        this.imported = imported;
    }

    void setSenderData(String json, int rank, String ownerUserId, String masterKey, boolean legacy) {
        this.senderDataJson = json;
        this.rank = rank;
        this.ownerUserId = ownerUserId;
        this.masterKey = masterKey;
        this.legacy = legacy;
    }

    void setRatchet(long firstKnownIndex, String sealedSessionKey) {
        this.firstKnownIndex = firstKnownIndex;
        this.sealedSessionKey = sealedSessionKey;
    }

    void setDiscarded(boolean discarded) {
        this.discarded = discarded;
    }
}
