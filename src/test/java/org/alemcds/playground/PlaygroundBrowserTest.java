package org.alemcds.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.alemcds.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The playground in headless Chromium against the started service: two sample patients' cards appear as an EHR shows
 * them, with the explanation, and a dismissal with a reason reaches the service's feedback store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlaygroundBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebElement evaluate(String sample, String expectedRule) {
        var wait = new WebDriverWait(browser, PATIENCE);
        wait.until(d -> d.findElements(By.cssSelector("#sample option")).size() > 1);
        new Select(browser.findElement(By.id("sample"))).selectByValue(sample);
        browser.executeScript("document.getElementById('start').value = '2026-12-07'");
        browser.findElement(By.id("evaluate")).click();
        return wait.until(d -> d.findElements(By.cssSelector("article.card[data-rule='" + expectedRule + "']")).stream()
                .findFirst().orElse(null));
    }

    @Test
    void twoSamplePatientsGetTheirCardsAndADismissalIsRecordedAsFeedback() {
        browser.get("http://localhost:" + port + "/playground");

        WebElement hiv = evaluate("05-hiv-test-missing", "CI-HIV");
        assertThat(hiv.getAttribute("class")).contains("critical");
        assertThat(hiv.findElement(By.cssSelector(".indicator")).getText()).isEqualToIgnoringCase("critical");
        assertThat(hiv.findElements(By.cssSelector("button.suggestion"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("tr[data-rule='CI-HIV']")).getAttribute("class")).contains("fired");
        assertThat(browser.findElement(By.cssSelector("tr[data-rule='SW-NTZ']")).getAttribute("class")).contains("silent");

        WebElement natalizumab = evaluate("01-ntz-high-risk-too-early", "SW-NTZ");
        assertThat(natalizumab.getAttribute("class")).contains("critical");
        assertThat(natalizumab.findElement(By.cssSelector(".detail")).getText()).containsIgnoringCase("natalizumab");
        assertThat(browser.findElements(By.cssSelector("article.card[data-rule='CI-HIV']"))).isEmpty();

        new Select(natalizumab.findElement(By.cssSelector("select.override-reason"))).selectByIndex(1);
        natalizumab.findElement(By.cssSelector("button.override")).click();
        new WebDriverWait(browser, PATIENCE).until(d -> natalizumab.findElement(By.cssSelector(".feedback-status"))
                .getText().startsWith("Dismissed"));

        String uuid = natalizumab.getAttribute("data-uuid");
        assertThat(jdbc.sql("SELECT outcome FROM feedback WHERE card_uuid = ?").param(uuid).query(String.class).list())
                .containsExactly("overridden");
    }
}
