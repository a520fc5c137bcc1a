package org.alemcds;

import org.alemcds.operations.DataDirectoryInUse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AlemtuzumabCdsApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AlemtuzumabCdsApplication.class);
        application.addListeners(new DataDirectoryInUse()); // one clear line when another instance has the database
        application.run(args);
    }
}
