package io.keytrail.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service. It lives in {@code api}, the top room, so that nothing below depends on it; it scans
 * (components, JPA entities and repositories) the whole {@code io.keytrail} tree.
 */
@SpringBootApplication(scanBasePackages = "io.keytrail")
@AutoConfigurationPackage(basePackages = "io.keytrail")
public class KeytrailApplication {
    public static void main(String[] args) {
        if (args.length > 0 && "replay".equals(args[0])) {
            System.exit(ReplayCommand.run(args));
        }
        if (args.length > 0 && "audit".equals(args[0])) {
            System.exit(AuditCommand.run(args));
        }
        if (args.length > 0 && "export".equals(args[0])) {
            System.exit(ExportCommand.run(args));
        }
        SpringApplication.run(KeytrailApplication.class, args);
    }
}
