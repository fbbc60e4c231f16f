package io.keytrail;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.keytrail.api.AuditCommand;
import io.keytrail.api.ExportCommand;
import io.keytrail.api.ReplayCommand;

@SpringBootApplication
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
