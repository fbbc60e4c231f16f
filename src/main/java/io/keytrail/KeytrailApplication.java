package io.keytrail;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class KeytrailApplication {
    public static void main(String[] args) {
        SpringApplication.run(KeytrailApplication.class, args);
    }
}
