package com.example.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/** The host's own read model, on a tracking processor of its own beside Keytrail's processors. */
@Component
@ProcessingGroup("host-tickets")
public class TicketTitles {
    private final Map<String, String> titles = new ConcurrentHashMap<>();

    @EventHandler
    void on(Ticket.TicketOpened event) {
        titles.put(event.ticketId(), event.title());
    }

    public String title(String ticketId) {
        return titles.get(ticketId);
    }
}
