package com.example.host;

import java.security.SecureRandom;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import io.keytrail.session.SessionKeyVault;

/**
 * A host application that embeds Keytrail the way the README's "Embedding" section says: Keytrail is a
 * dependency, nothing of {@code io.keytrail} is scanned or imported. It has its own JPA entity
 * ({@link Note}), its own Axon aggregate ({@link Ticket}) and its own event handler ({@link TicketTitles}),
 * and it brings the sealing key from its own secret store (here a fixed test key) as a bean, which
 * replaces Keytrail's.
 */
@SpringBootApplication
public class HostApplication {
    /** A fixed, public test key: a real host reads its key from its secret store. */
    static final byte[] SEALING_KEY = new byte[32];

    @Bean
    SessionKeyVault hostSealingKeys() {
        return new SessionKeyVault(SEALING_KEY, new SecureRandom());
    }
}
