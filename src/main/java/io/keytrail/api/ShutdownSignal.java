package io.keytrail.api;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells batches that the service is stopping. It stops before the web server's graceful shutdown
 * (the highest phase stops first), so a long batch finishes the input in hand, answers the rest
 * {@code UNAVAILABLE} (not processed: send again) and lets shutdown end within its grace period.
 */
@Component
class ShutdownSignal implements SmartLifecycle {
    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    boolean stopping() {
        return !running;
    }
}
