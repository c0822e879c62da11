package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole path as a person uses it, in real headless Chromium: the page (real Undertow), the
 * streaming job (its own JVM, real local Spark), the real shared Cassandra node, a real trained model.
 */
class BrowserIT {
    private static Path work;
    private static final String TOKEN = "browser-it-token-0123456789abcdef";
    private static WebServer server;
    private static WebServer withToken;
    private static TcpProxy cassandraLink;
    private static StreamUnderTest stream;
    private static ChromeDriver browser;
    private static Mnist.DataSet mnist;
    private static String page;

    @BeforeAll
    static void start() throws Exception {
        work = TestHome.root().resolve("web-ingest/target/browser-it/" + UUID.randomUUID());
        ModelStore models = TestModels.softmax();
        mnist = DigitImages.mnistTest();
        String cassandra = TestCassandra.settings().cassandraSpec();
        stream = StreamUnderTest.start(work, models.root(), cassandra);
        // The page reaches Cassandra through a proxy the test can cut; the stream writes directly.
        var node = TestCassandra.settings().cassandra().get(0);
        cassandraLink = new TcpProxy(node.getHostString(), node.getPort());
        server = WebServer.start(WebServerIT.options(stream.inbox(), "127.0.0.1:" + cassandraLink.port(), 10));
        page = "http://127.0.0.1:" + server.port() + "/";
        withToken = WebServer.start(WebServerIT.options(stream.inbox(), cassandra, 10)
                .withAccess(Access.LOOPBACK.withToken(new AccessToken(TOKEN))));

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1100", "--user-data-dir=" + work.resolve("chromium-profile"));
        // The browser's console, to find any Content-Security-Policy violation of the page.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(),
                options);
        // The stream JVM needs its Spark and model loaded before results can appear.
        stream.awaitWatching(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (withToken != null) {
            withToken.close();
        }
        if (cassandraLink != null) {
            cassandraLink.close();
        }
        if (stream != null) {
            stream.close();
        }
    }

    /** The first test digit the model gets right: this test checks the system, not the model's accuracy. */
    private static int knownDigitIndex(ModelStore models) {
        DigitClassifier classifier = models.loadLatest().classifier();
        for (int i = 0; ; i++) {
            float[] x = Preprocessor.preprocess(DigitImages.encode(DigitImages.canvasDrawing(mnist.image(i), 280), "png")).pixels();
            float[] p = classifier.probabilities(x, 1)[0];
            if (DigitClassifier.argmax(p) == mnist.label(i) && p[mnist.label(i)] > 0.9) {
                return i;
            }
        }
    }

    private static WebElement awaitResult(int cards) {
        return new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
            List<WebElement> done = d.findElements(By.cssSelector("#results .result"));
            if (done.size() < cards) {
                return null;
            }
            WebElement newest = done.get(0);
            String digit = newest.findElement(By.cssSelector(".digit")).getText();
            return digit.equals("…") ? null : newest;
        });
    }

    private static void screenshot(String name) throws Exception {
        Path dir = TestHome.root().resolve("web-ingest/target/screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void uploadDrawAndRejectThroughThePage() throws Exception {
        browser.get(page);
        int index = knownDigitIndex(TestModels.softmax());
        Path digitFile = work.resolve("<img src=x onerror=alert(1)>.png");
        Files.write(digitFile, DigitImages.encode(DigitImages.canvasDrawing(mnist.image(index), 280), "png"));
        browser.findElement(By.id("file-input")).sendKeys(digitFile.toString());
        WebElement result = awaitResult(1);
        assertEquals(String.valueOf(mnist.label(index)), result.findElement(By.cssSelector(".digit")).getText());
        assertEquals("<img src=x onerror=alert(1)>.png", result.findElement(By.cssSelector(".name")).getText(),
                "the name is shown as text, not markup");
        assertEquals(10, result.findElements(By.cssSelector(".bar")).size(), "a bar per digit");
        assertTrue(result.findElement(By.cssSelector(".status")).getText().contains("ms upload→result"));
        assertTrue(browser.findElements(By.cssSelector("#results img")).isEmpty(), "no element injected by the name");

        // Draw a vertical stroke on the canvas and ask for recognition.
        WebElement canvas = browser.findElement(By.id("canvas"));
        new Actions(browser).moveToElement(canvas, 0, -90).clickAndHold().moveByOffset(0, 60).moveByOffset(2, 60)
                .moveByOffset(0, 50).release().perform();
        browser.findElement(By.id("recognise")).click();
        WebElement drawn = awaitResult(2);
        assertTrue(drawn.findElement(By.cssSelector(".digit")).getText().matches("[0-9]"), "the drawing gets a digit");
        assertEquals("drawing.png", drawn.findElement(By.cssSelector(".name")).getText());

        Path text = work.resolve("notes.txt");
        Files.writeString(text, "not a digit");
        browser.findElement(By.id("file-input")).sendKeys(text.toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("message")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("message")).getText().contains("not an image"));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(By.cssSelector("#history tbody tr")).isEmpty());
        screenshot("upload-draw-reject");
        assertNoPolicyViolation();
    }

    @Test
    void thePageKeepsPollingWhileTheResultsDatabaseIsUnavailable() throws Exception {
        browser.get(page);
        int index = knownDigitIndex(TestModels.softmax());
        Path digitFile = work.resolve("while-cassandra-is-away.png");
        Files.write(digitFile, DigitImages.encode(DigitImages.canvasDrawing(mnist.image(index), 280), "png"));
        cassandraLink.cut();
        try {
            browser.findElement(By.id("file-input")).sendKeys(digitFile.toString());
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElements(By.cssSelector("#results .result .status")).stream()
                    .anyMatch(e -> e.getText().contains("results unavailable (503)")));
        } finally {
            cassandraLink.restore();
        }
        // The same card, still polling, shows the digit once the page reaches Cassandra again.
        WebElement result = new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> {
            WebElement card = d.findElement(By.cssSelector("#results .result"));
            return card.findElement(By.cssSelector(".digit")).getText().matches("[0-9]") ? card : null;
        });
        assertEquals(String.valueOf(mnist.label(index)), result.findElement(By.cssSelector(".digit")).getText());
        assertNoPolicyViolation();
    }

    @Test
    void withATokenThePageAsksForItAndThenWorks() throws Exception {
        String base = "http://127.0.0.1:" + withToken.port();
        browser.get(base + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        browser.findElement(By.id("token")).sendKeys("not-the-token-at-all");
        browser.findElement(By.id("log-in")).click();
        // The refused login loads the page again: an element found on the old page goes stale.
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("failed")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("log-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().equals(base + "/"));
        int index = knownDigitIndex(TestModels.softmax());
        Path digitFile = work.resolve("after-login.png");
        Files.write(digitFile, DigitImages.encode(DigitImages.canvasDrawing(mnist.image(index), 280), "png"));
        browser.findElement(By.id("file-input")).sendKeys(digitFile.toString());
        WebElement result = awaitResult(1);
        assertEquals(String.valueOf(mnist.label(index)), result.findElement(By.cssSelector(".digit")).getText());
        assertNoPolicyViolation();
    }

    @Test
    void aResultIsCorrectedWithTheKeyboardAlone() throws Exception {
        browser.get(page);
        int index = knownDigitIndex(TestModels.softmax());
        String name = "to-correct-" + UUID.randomUUID() + ".png";
        Path digitFile = work.resolve(name);
        Files.write(digitFile, DigitImages.encode(DigitImages.canvasDrawing(mnist.image(index), 280), "png"));
        // From the top of a fresh page, Tab reaches the file input (hidden from sight, not from the keyboard).
        WebElement focused = null;
        for (int tab = 0; tab < 10 && (focused == null || !"file-input".equals(focused.getAttribute("id"))); tab++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            focused = browser.switchTo().activeElement();
        }
        assertEquals("file-input", focused.getAttribute("id"), "the file input is reachable with Tab");
        // A file picker is the operating system's dialog, out of a headless browser's reach: the file is handed to the input.
        focused.sendKeys(digitFile.toString());
        WebElement card = awaitResult(1);
        String id = card.getAttribute("data-id");
        int predicted = Integer.parseInt(card.findElement(By.cssSelector(".digit")).getText());
        int right = (predicted + 3) % 10;
        for (int tab = 0; tab < 20 && !("Mark wrong: " + name).equals(focused.getAttribute("aria-label")); tab++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            focused = browser.switchTo().activeElement();
        }
        assertEquals("Mark wrong: " + name, focused.getAttribute("aria-label"), "the card's correction control is reachable with Tab");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        WebElement select = browser.switchTo().activeElement();
        assertEquals("select", select.getTagName(), "the choice of digit takes the focus");
        new Actions(browser).sendKeys(String.valueOf(right)).sendKeys(Keys.TAB).sendKeys(Keys.ENTER).perform();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                card.findElement(By.cssSelector(".correction")).getText().contains("corrected to " + right));

        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(page + "api/predictions/" + id)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(right, new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("label").asInt(),
                "the correction reached Cassandra: " + answer.body());
        // The history, rebuilt from the API every few seconds, shows it on the image's row.
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#history tbody tr")).stream()
                .anyMatch(tr -> tr.getText().contains(name) && tr.getText().contains("corrected to " + right)));
        // The service line reads /healthz, where the running stream reports itself.
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("service")).getText().matches("model \\S+ · stream scoring.* · [1-9]\\d* files scored in the last 5 minutes"));
        screenshot("keyboard-correction");
        assertNoPolicyViolation();
    }

    /** The page runs under its Content-Security-Policy without the browser refusing anything of it. */
    private static void assertNoPolicyViolation() {
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
        assertEquals(List.of(), violations, "the browser refused parts of the page under its policy");
    }
}
