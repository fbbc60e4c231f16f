package io.keytrail.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The stored vocabulary: names are part of the event JSON, so they never change (append only). */
class VocabularyTest {
    @Test
    void triggerNames_areTheStoredStrings() {
        assertThat(Arrays.stream(Trigger.values()).map(Trigger::name)).containsExactly(
                "RE_RECEIPT", "DEVICE_KEYS_FETCHED", "VERIFY_MASTER_KEY", "VERIFICATION_WITHDRAWN",
                "IMPORT_CLAIM");
    }

    @Test
    void importSourceNames_areTheStoredStrings() {
        assertThat(Arrays.stream(ImportSource.values()).map(ImportSource::name)).containsExactly(
                "ROOM_KEYS", "KEY_EXPORT", "KEY_BACKUP", "FORWARDED");
    }
}
