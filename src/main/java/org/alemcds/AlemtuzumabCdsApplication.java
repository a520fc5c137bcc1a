package org.alemcds;

import java.util.Arrays;
import org.alemcds.cli.EvaluateCommand;
import org.alemcds.operations.DataDirectoryInUse;
import org.alemcds.worklist.WorklistCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AlemtuzumabCdsApplication {

    /** Without a command: the CDS Hooks service. With one: that command, without the web server (README). */
    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "";
        String[] commandArgs = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "evaluate" -> EvaluateCommand.main(commandArgs);
            case "worklist" -> System.exit(WorklistCommand.main(commandArgs));
            default -> {
                SpringApplication application = new SpringApplication(AlemtuzumabCdsApplication.class);
                application.addListeners(new DataDirectoryInUse()); // one clear line when another instance has the database
                application.run(args);
            }
        }
    }
}
