package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    @Test
    void reportsAtMostOnceASecond_withRatesSinceTheStart() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressMeter meter = new ProgressMeter("audit verify", new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> now[0]);

        for (int i = 1; i <= 1000; i++) {
            now[0] = i * 1_000_000L; // 1 ms per event: one second after 1,000 events
            meter.at(i, i / 2);
        }
        now[0] = 1_500_000_000L;
        meter.at(1500, 750);
        now[0] = 2_000_000_000L;
        meter.at(2000, 1000);
        double seconds = meter.done(2000, 1000);

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "audit verify: 1,000 events, 500 decisions; 1,000 events/s, 500 decisions/s",
                "audit verify: 2,000 events, 1,000 decisions; 1,000 events/s, 500 decisions/s",
                "audit verify: 2,000 events, 1,000 decisions; 1,000 events/s, 500 decisions/s (done)");
        assertThat(seconds).isEqualTo(2.0);
    }

    @Test
    void rate_isZeroBeforeAnyTimeHasPassed() {
        assertThat(ProgressMeter.rate(10, 0)).isZero();
        assertThat(ProgressMeter.rate(10, 0.5)).isEqualTo(20);
    }
}
