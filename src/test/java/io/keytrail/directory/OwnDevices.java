package io.keytrail.directory;

import org.springframework.context.ApplicationContext;

/** Test access to the engine-wide own device, which test classes sharing one engine must not leak. */
public final class OwnDevices {
    private OwnDevices() {
    }

    /** Back to "we do not know who we are", as on a fresh store. */
    public static void forget(ApplicationContext context) {
        context.getBean(LocalAccount.class).forget();
    }
}
