package io.keytrail.directory;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Serialises the work on one sender: a room key being decided and a keys change of the same user.
 * Without it, a room key could read the device list just before a keys query replaced it, and the
 * re-decision that follows the keys query could run before that session is stored: the session would
 * miss its re-decision (matrix-rust-sdk documents this race and leaves it). Striped, so unrelated
 * users never wait for each other beyond a hash collision.
 */
@Component
public class UserLocks {
    private static final int STRIPES = 64;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public UserLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T withUser(String userId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(userId.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
