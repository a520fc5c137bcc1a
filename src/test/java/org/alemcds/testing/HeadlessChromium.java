package org.alemcds.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for page tests: Debian's {@code chromium} and {@code chromium-driver}, headless, with a fresh profile
 * and no network of its own (no Selenium Manager download). When they are not installed the test is skipped with the
 * reason and the command that installs them, unless {@value #REQUIRED} is set (as {@code .ci/run} does): then it fails.
 */
public final class HeadlessChromium {

    public static final String REQUIRED = "ALEMCDS_BROWSER_TESTS_REQUIRED";
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Starts a headless Chromium, or skips (fails when required) the calling test saying why. */
    public static ChromeDriver start() throws IOException {
        String missing = !Files.isExecutable(BROWSER) ? BROWSER.toString() : !Files.isExecutable(DRIVER) ? DRIVER.toString() : null;
        if (missing != null) {
            String why = "Browser test not run: " + missing + " is missing. Install Chromium and its driver with "
                    + "`apt-get update && apt-get install -y chromium chromium-driver` (as root; .ci/run does it).";
            if (System.getenv(REQUIRED) != null) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Path profile = Files.createTempDirectory("alemcds-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
