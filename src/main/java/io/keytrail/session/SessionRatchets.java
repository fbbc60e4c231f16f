package io.keytrail.session;

import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.RatchetComparison;

/** The one place where the session aggregate touches Megolm ratchets (kept as export-format strings). */
final class SessionRatchets {
    private SessionRatchets() {
    }

    static InboundGroupSession load(String exportedSessionKey) {
        return InboundGroupSession.fromExport(ExportedSessionKey.parse(exportedSessionKey));
    }

    /** How the offered copy's ratchet relates to the held one. */
    static RatchetComparison compare(String offered, String held) {
        return load(offered).compare(load(held));
    }
}
