package io.keytrail.api;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service. It lives in {@code api}, the top room, so that nothing below depends on it; it scans
 * (components, JPA entities and repositories) the whole {@code io.keytrail} tree.
 */
@SpringBootApplication(scanBasePackages = "io.keytrail")
@AutoConfigurationPackage(basePackages = "io.keytrail")
public class KeytrailApplication {
    /** The command line ({@link KeytrailCli}): {@code serve} (the default), {@code replay}, {@code audit}, {@code export}. */
    public static void main(String[] args) {
        int status = KeytrailCli.execute(args, System.out, System.err);
        if (status != KeytrailCli.SERVING) {
            System.exit(status);
        }
    }
}
