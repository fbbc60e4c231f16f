package io.keytrail.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.OwnerIdentity;
import io.keytrail.trust.SenderData;

/**
 * Reads of the directory: everything the fast lane needs to decide locally, and the indexed searches
 * that find the sessions a change may affect.
 */
@Component
@Transactional(readOnly = true)
public class Directory {
    private final DeviceRows devices;
    private final IdentityRows identities;
    private final SessionRows sessions;

    public Directory(DeviceRows devices, IdentityRows identities, SessionRows sessions) {
        this.devices = devices;
        this.identities = identities;
        this.sessions = sessions;
    }

    /**
     * The local evidence about a creator: the sender's own device with that curve25519 key (never
     * another user's), with its cross-signing as checked on arrival, and the sender's accepted identity.
     * A device whose trust rests on refused material stays in the evidence with that standing: the
     * finder turns it into a discard that carries the refused key.
     */
    public DecisionEvidence evidenceFor(String sender, String senderKey) {
        Optional<DeviceRow> device = deviceOf(sender, senderKey);
        Optional<IdentityRow> identity = identities.findById(sender).filter(i -> i.getMasterKeyJson() != null);
        return new DecisionEvidence(null, device.map(d -> JsonText.read(d.getJson())).orElse(null),
                identity.map(i -> JsonText.read(i.getMasterKeyJson())).orElse(null),
                identity.map(i -> JsonText.read(i.getSelfSigningKeyJson())).orElse(null),
                identity.map(IdentityRow::isVerified).orElse(false),
                identity.map(IdentityRow::isPreviouslyVerified).orElse(false),
                device.map(Directory::standing).orElse(null));
    }

    /**
     * The same evidence as {@link #evidenceFor}, with its device, MSK and SSK also parsed for the
     * decision, from a cache keyed by the stored JSON ({@link ParsedEvidence}): the rows are read every
     * time, their content is parsed and canonicalised once.
     */
    public ParsedEvidence parsedEvidenceFor(String sender, String senderKey) {
        return parsed(sender, deviceOf(sender, senderKey),
                identities.findById(sender).filter(i -> i.getMasterKeyJson() != null));
    }

    /**
     * {@link #parsedEvidenceFor} for every (sender, curve25519 key) of a batch of room keys, in two
     * queries whatever the number of senders; keyed by {@link #evidenceKey}.
     */
    public Map<String, ParsedEvidence> parsedEvidenceFor(Map<String, Set<String>> senderKeysByUser) {
        if (senderKeysByUser.isEmpty()) {
            return Map.of();
        }
        Map<String, List<DeviceRow>> devicesByUser = new HashMap<>();
        devices.findByUserIdIn(senderKeysByUser.keySet())
                .forEach(d -> devicesByUser.computeIfAbsent(d.getUserId(), u -> new ArrayList<>()).add(d));
        Map<String, IdentityRow> identityByUser = new HashMap<>();
        identities.findByUserIdIn(senderKeysByUser.keySet()).forEach(i -> identityByUser.put(i.getUserId(), i));
        Map<String, ParsedEvidence> result = new HashMap<>();
        senderKeysByUser.forEach((sender, keys) -> keys.forEach(senderKey -> result.put(evidenceKey(sender, senderKey),
                parsed(sender, devicesByUser.getOrDefault(sender, List.of()).stream()
                                .filter(d -> senderKey.equals(d.getCurve25519())).findFirst(),
                        Optional.ofNullable(identityByUser.get(sender)).filter(i -> i.getMasterKeyJson() != null)))));
        return result;
    }

    /** The key of a (sender, curve25519 key) pair in {@link #parsedEvidenceFor(Map)}'s answer. */
    public static String evidenceKey(String sender, String senderKey) {
        return sender + "\n" + senderKey;
    }

    private static ParsedEvidence parsed(String sender, Optional<DeviceRow> device, Optional<IdentityRow> identity) {
        var storedDevice = device.map(d -> ParsedEvidence.device(d.getJson()));
        var masterKey = identity.map(i -> ParsedEvidence.crossSigningKey(i.getMasterKeyJson()));
        var selfSigningKey = identity.filter(i -> i.getSelfSigningKeyJson() != null)
                .map(i -> ParsedEvidence.crossSigningKey(i.getSelfSigningKeyJson()));
        boolean verified = identity.map(IdentityRow::isVerified).orElse(false);
        boolean previouslyVerified = identity.map(IdentityRow::isPreviouslyVerified).orElse(false);
        DeviceStanding standing = device.map(Directory::standing).orElse(null);
        DecisionEvidence recorded = new DecisionEvidence(null, storedDevice.map(ParsedEvidence.Parsed::json).orElse(null),
                masterKey.map(ParsedEvidence.Parsed::json).orElse(null),
                selfSigningKey.map(ParsedEvidence.Parsed::json).orElse(null), verified, previouslyVerified, standing);
        Optional<OwnerIdentity> owner = masterKey.isPresent() && selfSigningKey.isPresent()
                ? Optional.of(new OwnerIdentity(sender, masterKey.get().typed(), selfSigningKey.get().typed(), verified,
                        previouslyVerified))
                : Optional.empty();
        return new ParsedEvidence(recorded, storedDevice.map(ParsedEvidence.Parsed::typed), owner,
                Optional.ofNullable(standing));
    }

    private static DeviceStanding standing(DeviceRow device) {
        DeviceStanding recorded = JsonText.readValue(device.getStandingJson(), DeviceStanding.class);
        if (recorded == null && device.isTainted()) {
            // Recorded before standings existed: the refused key itself is in that response's KeysRejected.
            return new DeviceStanding(DeviceStanding.Kind.RELIES_ON_REFUSED_KEY, null, null, "NOT_RECORDED", null);
        }
        return recorded;
    }

    private Optional<DeviceRow> deviceOf(String sender, String senderKey) {
        return devices.findByUserId(sender).stream().filter(d -> senderKey.equals(d.getCurve25519())).findFirst();
    }

    public List<DeviceRow> devicesOf(String userId) {
        return devices.findByUserId(userId);
    }

    public Optional<IdentityRow> identityOf(String userId) {
        return identities.findById(userId);
    }

    public List<IdentityRow> allIdentities() {
        return identities.findAll();
    }

    public Optional<SessionRow> session(String roomId, String sessionId) {
        return sessions.findByRoomIdAndSessionId(roomId, sessionId);
    }

    /** Sessions created by these curve25519 keys whose trust is below {@code SenderUnverified}. */
    public List<SessionRow> sessionsBelowSenderUnverified(Collection<String> senderKeys) {
        if (senderKeys.isEmpty()) {
            return List.of();
        }
        return sessions.findBySenderKeyInAndRankLessThanAndDiscardedFalseOrderByPosition(senderKeys,
                SenderData.SENDER_UNVERIFIED_RANK);
    }

    /** Sessions that recorded this MSK and are not yet {@code SenderVerified}. */
    public List<SessionRow> sessionsAwaitingVerificationOf(String masterKey) {
        return sessions.findByMasterKeyAndRankInAndDiscardedFalseOrderByPosition(masterKey,
                List.of(SenderData.VERIFICATION_VIOLATION_RANK, SenderData.SENDER_UNVERIFIED_RANK));
    }

    public List<SessionRow> verificationViolationsOf(String sender) {
        return sessions.findBySenderAndRankAndDiscardedFalseOrderByPosition(sender, SenderData.VERIFICATION_VIOLATION_RANK);
    }

    public Optional<SessionRow> sessionById(String aggregateId) {
        return sessions.findByAggregateId(aggregateId);
    }

    /**
     * Every session at once: for small stores and tests only. Listings that may be long page through
     * {@link #sessionsAfter} instead, so that no listing holds every session in memory.
     */
    public List<SessionRow> allSessions() {
        return sessions.findAllByOrderByPosition();
    }

    /**
     * At most {@code pageSize} sessions in insertion order after position {@code afterPosition} ({@link
     * Long#MIN_VALUE} for the first page); the next page starts after the last row's {@link
     * SessionRow#getPosition()}. Each page is its own read: memory stays at one page however big the store.
     */
    public List<SessionRow> sessionsAfter(long afterPosition, int pageSize) {
        return sessions.findByPositionGreaterThanOrderByPosition(afterPosition, PageRequest.of(0, pageSize));
    }
}
