package com.example.host;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A host application that embeds Keytrail the way the README's "Embedding" section says: Keytrail is a
 * dependency, nothing of {@code io.keytrail} is scanned or imported. It has its own JPA entity
 * ({@link Note}), its own Axon aggregate ({@link Ticket}) and its own event handler ({@link TicketTitles}).
 */
@SpringBootApplication
public class HostApplication {
}
