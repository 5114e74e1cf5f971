package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * The web console in a real browser (headless chromium through Selenium) against a real
 * controller with tokens, a real node and a real origin: what a user sees and what a click does.
 * Each view's screenshot is saved under {@code target/console-screenshots/} for review.
 */
@Timeout(180)
class ConsoleIT {
    /** Instance ports below Linux's ephemeral range, apart from the other tests' ranges. */
    private static final String PORT_RANGE = "20481,20500";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_SECRET = "admin-secret-0123456789abcdef";
    private static final String READ_SECRET = "read-secret-0123456789abcdef";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    Path dir;
    TestOrigin origin;
    Controller controller;
    Node node;
    RpcClient rpc;
    ChromeDriver browser;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        Chromium.assumeInstalled();
        origin = new TestOrigin().routeAll(TestOrigin.describe());
        ControllerConfig config = TestConfigs.controller(dir.resolve("db"))
                .tokens(ApiTokens.parse(List.of("ops admin " + ADMIN_SECRET, "viewer read " + READ_SECRET))).build();
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress()).withBearer(ADMIN_SECRET);
        rpc.awaitReady();
        // Reports every second, so that history gains points while the test makes requests.
        node = Node.start(TestConfigs.joiningNode(dir.resolve("cache"), config.notificationPort(), PORT_RANGE)
                .set("stat_refresh", "1s")
                .build());
        Await.until("node up", WAIT, () -> {
            JsonNode nodes = rpc.answer("nodes", null).path("result");
            return nodes.size() == 1 && nodes.get(0).path("status").asText().equals("up");
        });
        assertEquals(true, rpc.result("start", "{\"expr\":\"" + expr() + "\"}").asBoolean());
        browser = Chromium.start(dir.resolve("profile"));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private String expr() {
        return "127.0.0.1:" + origin.port();
    }

    private String consoleUrl() {
        return "http://127.0.0.1:" + controller.apiAddress().getPort() + "/";
    }

    private HttpResponse<String> viaCache(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the console and gives it {@code secret} through its token form, as a user would. */
    private void logIn(String secret) {
        browser.get(consoleUrl());
        Await.until("token form shown", WAIT, () -> browser.findElement(By.id("login")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(secret);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        awaitLoaded("fleet");
    }

    private void open(String view) {
        browser.findElement(By.id("tab-" + view)).click();
        awaitLoaded(view);
    }

    private void awaitLoaded(String view) {
        Await.until(view + " view loaded", WAIT,
                () -> view.equals(browser.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String instanceRowSelector() {
        return "#instances-table tr[data-expr='" + expr() + "']";
    }

    /** The text of the instance's row's cell of class {@code cell}, read in one step: the page redraws its tables every few seconds. */
    private String instanceCell(String cell) {
        Object text = browser.executeScript("const c = document.querySelector(arguments[0] + ' .' + arguments[1]);"
                + " return c ? c.textContent : null;", instanceRowSelector(), cell);
        return text == null ? "" : text.toString();
    }

    /** Clicks the instance's button of class {@code button}, again if a redraw replaced it in between. */
    private void clickInstanceButton(String button) {
        Await.until("clicked " + button, WAIT, () -> {
            try {
                browser.findElement(By.cssSelector(instanceRowSelector() + " ." + button)).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    /** Errors the page wrote to the browser's console (failed loads, script errors, CSP refusals). */
    private List<LogEntry> severe() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    @Test
    void theFleetListsTheNodeAndPauseStopsTheInstancesPort() throws Exception {
        logIn(ADMIN_SECRET);
        String row = browser.findElement(By.cssSelector("#fleet-table tr[data-node='1']")).getText();
        assertTrue(row.contains("up"), row);
        assertTrue(row.contains("127.0.0.1"), row);
        String version = rpc.result("nodes", null).get(0).get("version").asText();
        assertTrue(!version.equals("unknown") && row.contains(version), version + " in " + row);
        assertEquals("token role: admin", browser.findElement(By.id("who")).getText());
        screenshot("fleet");

        int port = rpc.instancePort(expr());
        assertEquals(200, viaCache(port, "/a").statusCode());
        open("instances");
        assertEquals("start", instanceCell("status"));
        screenshot("instances");
        // Purge asks what (a prompt) and then whether (a confirm); its result is per node-id.
        clickInstanceButton("act-purge");
        browser.switchTo().alert().sendKeys(expr() + "/");
        browser.switchTo().alert().accept();
        assertTrue(browser.switchTo().alert().getText().startsWith("Purge " + expr() + "/ on node 1?"));
        browser.switchTo().alert().accept();
        Await.until("the purge's result is shown", WAIT,
                () -> browser.findElement(By.id("message")).getText().startsWith("purge: done {\"1\":"));
        clickInstanceButton("act-pause");
        // Pause is destructive: the page asks first.
        assertTrue(browser.switchTo().alert().getText().startsWith("Pause " + expr()));
        browser.switchTo().alert().accept();
        Await.until("the table shows the instance paused", WAIT,
                () -> instanceCell("status").equals("pause"));
        assertEquals("pause", rpc.result("nodes", null).get(0).get("instances").get(0).get("status").asText());
        assertThrows(ConnectException.class, () -> viaCache(port, "/a"), "a paused instance's port is closed");

        open("alerts");
        screenshot("alerts");
        assertEquals(List.of(), severe(), "the browser's console shows no error");
    }

    @Test
    void theHitAndMissGraphGainsPointsAsRequestsAreMade() throws Exception {
        logIn(ADMIN_SECRET);
        open("graphs");
        browser.findElement(By.cssSelector("#windows button[data-window='900']")).click();
        int port = rpc.instancePort(expr());
        for (int round = 1; round <= 2; round++) {
            int before = points();
            viaCache(port, "/r" + round);
            viaCache(port, "/r" + round);
            viaCache(port, "/r" + round);
            // Each round lands in a later 10 s interval of the 15-minute window, hence a new point.
            Await.until("the graph gains a point", WAIT, () -> points() > before);
            Thread.sleep(Duration.ofSeconds(10)); // not an assertion: moves the next round into the next interval
        }
        assertTrue(Long.parseLong(browser.findElement(By.id("graph-hits")).getText()) >= 4);
        assertTrue(Long.parseLong(browser.findElement(By.id("graph-misses")).getText()) >= 2);
        assertTrue(browser.findElements(By.cssSelector("#chart-count canvas")).size() == 1);
        screenshot("graphs");
        assertEquals(List.of(), severe(), "the browser's console shows no error");
    }

    private int points() {
        return Integer.parseInt(browser.findElement(By.id("chart-count")).getDomAttribute("data-points"));
    }

    @Test
    void aReadTokenSeesTheInstancesButNoActionButtons() throws Exception {
        logIn(READ_SECRET);
        assertEquals("token role: read", browser.findElement(By.id("who")).getText());
        open("instances");
        assertTrue(instanceCell("status").equals("start"), instanceCell("status"));
        assertEquals(List.of(), browser.findElements(By.cssSelector("#instances button[class^='act-']")));
        assertTrue(!browser.findElement(By.id("start-form")).isDisplayed(), "no start form for a read token");
        screenshot("instances-read-only");
        assertEquals(List.of(), severe(), "the browser's console shows no error");
    }

    @Test
    void aDownNodeStandsOutAndACommandToItShowsTheFailedNodeOfItsError() throws Exception {
        logIn(ADMIN_SECRET);
        node.close();
        node = null;
        Await.until("the fleet shows node 1 down", WAIT, () -> Boolean.TRUE.equals(browser.executeScript(
                "const r = document.querySelector(\"#fleet-table tr[data-node='1']\");"
                        + " return r !== null && r.classList.contains('down') && r.textContent.includes('DOWN');")));
        screenshot("fleet-node-down");
        open("instances");
        clickInstanceButton("act-refresh");
        // A named node that is down is a target that fails: -32001, naming the node and why (docs/design.md §4).
        Await.until("the error is shown", WAIT, () -> browser.findElement(By.id("message")).isDisplayed());
        String message = browser.findElement(By.id("message")).getText();
        assertTrue(message.contains("-32001") && message.contains("node 1: node not connected"), message);
    }

    @Test
    void theConsoleIsServedWithoutATokenAndGetOfRootIsNoLonger405() throws Exception {
        RpcClient anonymous = new RpcClient(controller.apiAddress());
        HttpResponse<String> page = anonymous.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>OpenCache console</title>"));
        assertEquals(200, anonymous.get("/console/uPlot.iife.min.js").statusCode());
        assertEquals("{\"tokens\":true,\"role\":null}", anonymous.get("/console/whoami").body());
        assertEquals(404, anonymous.get("/console/nothing.js").statusCode());
        // The API itself still needs the token.
        assertEquals(401, anonymous.post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\"}").statusCode());
    }
}
