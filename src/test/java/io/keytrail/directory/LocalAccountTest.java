package io.keytrail.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.keytrail.EngineSpringTest;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;

@EngineSpringTest
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
