package io.keytrail.api;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The service and the command-line tools: Spring Boot with Keytrail's auto-configuration
 * ({@link KeytrailAutoConfiguration}, {@link KeytrailWebAutoConfiguration}) and the service's settings
 * ({@link KeytrailEnvironment}). It scans nothing: the engine comes in exactly as it does in a host
 * application that depends on the starter (ADR 0014).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class KeytrailApplication {
    /** The command line ({@link KeytrailCli}): {@code serve} (the default), {@code replay}, {@code audit}, {@code export}. */
    public static void main(String[] args) {
        int status = KeytrailCli.execute(args, System.out, System.err);
        if (status != KeytrailCli.SERVING) {
            System.exit(status);
        }
    }
}
