package com.example.embedded;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application of its own, in its own package: Keytrail comes in by auto-configuration only. */
@SpringBootApplication
public class EmbeddedHostApplication {
    public static void main(String[] args) {
        SpringApplication.run(EmbeddedHostApplication.class, args);
    }
}
