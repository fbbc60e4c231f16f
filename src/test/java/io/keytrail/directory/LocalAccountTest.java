package io.keytrail.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;

@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext // the stored own device would otherwise apply to every later test sharing this context
class LocalAccountTest {
    @Autowired
    LocalAccount local;
    @Autowired
    LocalAccountRows rows;

    @Test
    void theOwnDeviceIsStored_soAFreshStartStillKnowsWhoWeAre() {
        OwnDevice me = TestAccount.create("@me:local.test", "me-local", "DESK").ownDevice("DESK");

        local.set(me);
        LocalAccount afterRestart = new LocalAccount(rows);

        assertThat(afterRestart.ownDevice()).contains(me);
        assertThat(afterRestart.userId()).contains("@me:local.test");
    }
}
