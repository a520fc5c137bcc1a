package org.alemcds;

import java.util.Arrays;
import org.alemcds.operations.DataDirectoryInUse;
import org.alemcds.worklist.WorklistCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AlemtuzumabCdsApplication {

    public static void main(String[] args) {
        // Commands run without the web server: "worklist EXPORT_DIR …" (README "Monitoring worklist").
        if (args.length > 0 && args[0].equals("worklist")) {
            System.exit(WorklistCommand.main(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication application = new SpringApplication(AlemtuzumabCdsApplication.class);
        application.addListeners(new DataDirectoryInUse()); // one clear line when another instance has the database
        application.run(args);
    }
}
