package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.Test;

import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.directory.Directory;
import io.keytrail.directory.UserLocks;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.NewSessions;
import io.keytrail.session.ReceiveOutcome;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionKeyVault;

/** A batch whose unit of work fails as a whole (not a refusal) is received again key by key. */
class RoomKeyBatchFallbackTest {
    private final CommandGateway commands = mock(CommandGateway.class);
    private final Directory directory = mock(Directory.class);
    private final UserLocks locks = mock(UserLocks.class);
    private final RoomKeyIntake intake = new RoomKeyIntake(commands, mock(EventGateway.class), directory, locks,
            mock(NewSessions.class), new SessionKeyVault(UnpaddedBase64.decodeExact(RoomKeys.SEALING_KEY, 32, "key"),
            new SecureRandom()));

    @Test
    @SuppressWarnings("unchecked")
    void aBatchUnitThatFails_isReceivedKeyByKey_eachWithItsOwnAnswer() {
        when(locks.withUsers(anyCollection(), any())).thenThrow(new IllegalStateException("the unit failed"));
        when(locks.withUser(anyString(), any())).thenAnswer(call -> ((Supplier<Object>) call.getArgument(1)).get());
        when(directory.evidenceFor(anyString(), anyString()))
                .thenReturn(new DecisionEvidence(null, null, null, null, false, false));
        when(commands.sendAndWait(any(ReceiveSession.class)))
                .thenReturn(new ReceiveOutcome(RefusalCode.SESSION_DISCARDED, "first"))
                .thenReturn(new ReceiveOutcome(RefusalCode.SESSION_DISCARDED, "second"));
        TestAccount sender = RoomKeys.uniqueAccount("fallback", "DEVICE");
        List<RoomKeyIntake.RoomKeyInput> keys = List.of(input(sender), input(sender));

        List<RoomKeyIntake.Received> received = intake.receiveAll(keys, Optional.of(RoomKeys.ME));

        verify(commands, times(2)).sendAndWait(any(ReceiveSession.class));
        assertThat(received).extracting(r -> ((RefusalException) r.failure()).getMessage())
                .containsExactly("first", "second");
    }

    private static RoomKeyIntake.RoomKeyInput input(TestAccount sender) {
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(sender, "DEVICE");
        return new RoomKeyIntake.RoomKeyInput(key.sender(), key.senderKey(), key.plaintext());
    }
}
