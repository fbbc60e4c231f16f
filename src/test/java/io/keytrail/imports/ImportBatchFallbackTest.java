package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.util.function.Supplier;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.keytrail.directory.Directory;
import io.keytrail.directory.UserLocks;
import io.keytrail.directory.WriteUnits;
import io.keytrail.errors.RefusalCode;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.NewSessions;
import io.keytrail.session.ReceiveOutcome;
import io.keytrail.session.SessionCommands.ImportSession;
import io.keytrail.session.SessionKeyVault;

/** A chunk of an import whose unit of work fails as a whole (not a refusal) is stored again session by session. */
class ImportBatchFallbackTest {
    private final CommandGateway commands = mock(CommandGateway.class);
    private final WriteUnits units = mock(WriteUnits.class);
    private final UserLocks locks = mock(UserLocks.class);
    private final NewSessions newSessions = mock(NewSessions.class);
    private final ImportIntake intake = new ImportIntake(commands, mock(Directory.class), units, locks,
            mock(EventGateway.class), newSessions, new SessionKeyVault(new byte[32], new SecureRandom()));

    @Test
    @SuppressWarnings("unchecked")
    void aChunkUnitThatFails_isStoredSessionBySession_eachWithItsOwnAnswer() {
        when(locks.withUsers(anyCollection(), any())).thenThrow(new IllegalStateException("the unit failed"));
        when(units.run(any())).thenAnswer(call -> ((Supplier<Object>) call.getArgument(0)).get());
        when(commands.sendAndWait(any(ImportSession.class)))
                .thenReturn(new ReceiveOutcome(RefusalCode.SESSION_DISCARDED, "first"))
                .thenReturn(new ReceiveOutcome(RefusalCode.SESSION_FORGOTTEN, "second"));
        TestAccount alice = account("alice");
        Sender one = new Sender(room(), 1);
        Sender two = new Sender(room(), 1);
        ArrayNode keys = JSON.arrayNode().add(exportEntry(one, 0, alice)).add(exportEntry(two, 0, alice));

        ImportResult result = intake.importRoomKeys(keys, ImportProgress.NONE);

        verify(commands, times(2)).sendAndWait(any(ImportSession.class));
        verify(units, times(2)).run(any());
        assertThat(result.imported()).isEmpty();
        assertThat(result.failed()).extracting(ImportResult.Failed::sessionId)
                .containsExactly(one.sessionId(), two.sessionId());
        assertThat(result.failed()).extracting(ImportResult.Failed::code)
                .containsExactly(RefusalCode.SESSION_DISCARDED, RefusalCode.SESSION_FORGOTTEN);
        assertThat(result.failed()).extracting(ImportResult.Failed::message).containsExactly("first", "second");
    }
}
