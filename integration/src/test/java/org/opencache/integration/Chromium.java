package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless {@code chromium} driven through {@code chromium-driver} (Selenium), for the
 * console's browser tests and its load bench (bench/console-load.sh). The machine has no internet: no Selenium Manager
 * download (the driver and browser are named), and the browser's background traffic is off.
 */
public final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Skips the calling test when chromium or its driver is missing, or fails it when
     * {@code OPENCACHE_E2E=required} (CI, whose {@code .ci/run} installs them).
     */
    static void assumeInstalled() {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            String message = "console browser tests need " + missing.get()
                    + " (apt-get install -y chromium chromium-driver)";
            if ("required".equals(System.getenv("OPENCACHE_E2E"))) {
                fail(message + ", and OPENCACHE_E2E=required");
            }
            Assumptions.abort(message + "; skipped (set OPENCACHE_E2E=required to fail instead)");
        }
    }

    static Optional<String> missing() {
        for (Path tool : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(tool)) {
                return Optional.of(tool.toString());
            }
        }
        return Optional.empty();
    }

    /** A new headless browser with a fresh profile in {@code profile}, its console log recorded. */
    public static ChromeDriver start(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
