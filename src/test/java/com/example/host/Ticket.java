package com.example.host;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** The host's own event-sourced aggregate, stored in the same event store as Keytrail's. */
@Aggregate
public class Ticket {
    /** The host's command. */
    public record OpenTicket(@TargetAggregateIdentifier String ticketId, String title) {
    }

    /** The host's event. */
    public record TicketOpened(String ticketId, String title) {
    }

    @AggregateIdentifier
    private String ticketId;

    protected Ticket() {
    }

    @CommandHandler
    public Ticket(OpenTicket command) {
        if (command.title() == null || command.title().isBlank()) {
            throw new IllegalArgumentException("a ticket needs a title");
        }
        apply(new TicketOpened(command.ticketId(), command.title()));
    }

    @EventSourcingHandler
    void on(TicketOpened event) {
        ticketId = event.ticketId();
    }
}
