package org.alemcds;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AlemtuzumabCdsApplication {

    public static void main(String[] args) {
        SpringApplication.run(AlemtuzumabCdsApplication.class, args);
    }
}
