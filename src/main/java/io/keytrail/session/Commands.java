package io.keytrail.session;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Sends a command and waits, rethrowing the handler's own exception rather than Axon's wrapper. */
public final class Commands {
    private final CommandGateway gateway;

    public Commands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command) {
        try {
            return gateway.sendAndWait(command);
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
