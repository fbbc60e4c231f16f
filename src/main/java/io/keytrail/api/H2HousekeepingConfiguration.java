package io.keytrail.api;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Online compaction of an embedded H2 file store ({@link H2Housekeeping}, ADR 0023): only when H2 is on
 * the class path, and a pass does something only for an H2 file store that commits synchronously.
 * Settings: {@code keytrail.store.h2-housekeeping.interval} (default 1s; 0 turns it off),
 * {@code .fill-rate} (percent, default 80) and {@code .write-bytes} (per pass, default 8MB).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.h2.mvstore.MVStore")
class H2HousekeepingConfiguration {
    @Bean
    H2Housekeeping h2Housekeeping(DataSource dataSource,
                                  @Value("${keytrail.store.h2-housekeeping.interval:1s}") Duration interval,
                                  @Value("${keytrail.store.h2-housekeeping.fill-rate:80}") int fillRate,
                                  @Value("${keytrail.store.h2-housekeeping.write-bytes:8MB}") DataSize writeBytes) {
        return new H2Housekeeping(dataSource, interval, fillRate, (int) Math.min(Integer.MAX_VALUE, writeBytes.toBytes()));
    }
}
