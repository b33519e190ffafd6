package io.github.ssestarter.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The dashboard in a real, headless Chromium: what is published through the page's forms shows up
 * on the page, after the orders topic's connections are closed the page reconnects and shows what
 * was published meanwhile exactly once, and an answer whose connection the server drops midway
 * completes with every token exactly once.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs
 * them). Without them the test fails when the {@code CI} environment variable is set, and is
 * skipped otherwise. A screenshot of the page is saved as {@code target/dashboard.png}.
 */
class DashboardBrowserTests extends AbstractSampleTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

	/** Long enough for the browser's reconnection delay, about three seconds in Chromium. */
	private static final Duration WAIT = Duration.ofSeconds(20);

	ChromeDriver browser;

	@BeforeAll
	static void requireChromium() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String message = "Chromium is not installed at " + CHROMIUM + " with its driver at " + CHROMEDRIVER
				+ ": apt-get install chromium chromium-driver";
		String ci = System.getenv("CI");
		if (ci != null && !ci.isBlank()) {
			fail(message);
		}
		abort(message + " (skipped; it fails when CI is set)");
	}

	@BeforeEach
	void startBrowser(@TempDir Path profile) {
		// Both paths are given, so that Selenium Manager has nothing to look up or download.
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
					"--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() throws IOException {
		if (this.browser != null) {
			try {
				Files.createDirectories(SCREENSHOT.getParent());
				Files.write(SCREENSHOT, this.browser.getScreenshotAs(OutputType.BYTES));
			}
			finally {
				this.browser.quit();
			}
		}
	}

	@Test
	void showsWhatIsPublishedAndResumesExactlyAfterTheOrdersTopicIsClosed() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		awaitText("#orders-state", "open");
		awaitText("#logs-state", "open");
		awaitText("#ticker-state", "open");
		await().atMost(WAIT).until(() -> this.browser.findElements(By.cssSelector("#ticker-table tr")).size() == 3);

		signInAs("alice");
		placeOrderThroughThePage();
		sendNotificationsThroughThePage();
		appendLogThroughThePage();
		runJobThroughThePage();
		resumeAfterTheOrdersTopicIsClosed();
	}

	@Test
	void assistantAnswerCompletesWithEveryTokenOnceAfterTheServerDropsItsConnectionMidAnswer() {
		String question = "Why do streams end?";
		List<String> expected = answerOverHttp(question);
		// 40 + 19 % 20 tokens, one every 50 ms: long enough to drop the connection midway.
		assertThat(expected).hasSize(59);

		this.browser.get("http://127.0.0.1:" + this.port + "/");
		awaitText("#orders-state", "open");
		type("#answer-question", question);
		click("#answer-form button[type=submit]");
		await().atMost(WAIT).until(() -> Integer.parseInt(text("#answer-tokens")) >= 5);
		int reconnects = Integer.parseInt(text("#answer-reconnects"));
		click("#answer-drop");
		await().atMost(WAIT).untilAsserted(() -> assertThat(text("#answer-note")).startsWith("The server ended"));

		awaitText("#answer-status", "complete");
		assertThat(text("#answer-tokens")).isEqualTo(String.valueOf(expected.size()));
		assertThat(find("#answer-text").getDomProperty("textContent")).isEqualTo(String.join("", expected));
		// After done the page's reconnection gets 204, which closes the EventSource.
		awaitText("#answer-state", "closed");
		assertThat(Integer.parseInt(text("#answer-reconnects"))).as("reconnects").isEqualTo(reconnects + 1);
	}

	private List<String> answerOverHttp(String question) {
		List<String> texts = new ArrayList<>();
		try (EventStream stream = this.client.stream(AnswersTests.path(question))) {
			assertThat(stream.status()).isEqualTo(200);
			for (SseEvent event = stream.next(); event != null; event = stream.next()) {
				if (event.eventType().equals("token")) {
					texts.add(this.client.json(event).get("text").asString());
				}
			}
		}
		return texts;
	}

	private void signInAs(String user) {
		type("#login-username", user);
		type("#login-password", user);
		click("#login-form button[type=submit]");
		awaitText("#signed-in-user", user);
		awaitText("#notifications-state", "open");
		awaitText("#orders-state", "open");
	}

	private void placeOrderThroughThePage() {
		type("#order-customer", "Ada Lovelace");
		type("#order-amount", "12.50");
		click("#order-form button[type=submit]");
		await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
				assertThat(cells("#orders-table tbody tr td:nth-child(2)")).contains("Ada Lovelace"));
		assertThat(text("#orders-table tbody tr:first-child td:nth-child(3)")).isEqualTo("12.50");
	}

	private void sendNotificationsThroughThePage() {
		sendNotification("bob", "Only for bob");
		sendNotification("alice", "Your report is ready");
		sendNotification("", "Deploy finished");
		await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
				assertThat(cells("#notification-list .message")).containsExactly("Deploy finished",
						"Your report is ready"));
		assertThat(cells("#notification-list .badge")).containsExactly("to everyone", "to alice");
	}

	private void sendNotification(String to, String message) {
		new Select(find("#notification-to")).selectByValue(to);
		type("#notification-message", message);
		click("#notification-form button[type=submit]");
		// The page clears the message once the server has accepted it.
		await().atMost(WAIT).until(() -> value("#notification-message").isEmpty());
	}

	private void appendLogThroughThePage() {
		String multiLine = "INFO  order service started\n  listening on port 8080\nWARN  cache warm-up took 1.2 s";
		String oneLine = "INFO  GET /api/orders 200 (3 ms)";
		for (String text : List.of(multiLine, oneLine)) {
			type("#log-text", text);
			click("#log-form button[type=submit]");
			await().atMost(WAIT).until(() -> value("#log-text").isEmpty());
		}
		// One <pre> per entry, the multi-line one whole.
		await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
				assertThat(this.browser.findElements(By.cssSelector("#log-tail pre")))
					.extracting((entry) -> entry.getDomProperty("textContent"))
					.containsSubsequence(multiLine, oneLine));
	}

	private void runJobThroughThePage() {
		click("#job-start");
		awaitText("#job-percent", "100");
		assertThat(find("#job .bar").getDomAttribute("aria-valuenow")).isEqualTo("100");
		assertThat(text("#job-status")).endsWith("done");
		awaitText("#job-state", "closed");
	}

	private void resumeAfterTheOrdersTopicIsClosed() {
		int reconnects = Integer.parseInt(text("#orders-reconnects"));
		HttpResponse<String> closed = this.client.delete("/actuator/sse/orders");
		assertThat(closed.statusCode()).isEqualTo(200);
		assertThat(this.client.json(closed).get("closedConnections").asInt()).isPositive();
		// Published while the page is away: its EventSource reconnects after a few seconds.
		List<String> meanwhile = new ArrayList<>();
		for (String customer : List.of("Grace Hopper", "Alan Turing", "Katherine Johnson")) {
			meanwhile.add(placeOrder(customer));
		}
		await().atMost(WAIT).until(() -> Integer.parseInt(text("#orders-reconnects")) > reconnects);
		awaitText("#orders-state", "open");
		// Events arrive in order: once this one is shown, any duplicate of the replay would be too.
		String after = placeOrder("Edsger Dijkstra");
		await().atMost(WAIT).until(() -> orderIdsShown().contains(after));

		List<String> shown = orderIdsShown();
		assertThat(shown).doesNotHaveDuplicates();
		assertThat(shown).containsAll(meanwhile);
		assertThat(Integer.parseInt(text("#orders-reconnects"))).isEqualTo(reconnects + 1);
	}

	private String placeOrder(String customer) {
		HttpResponse<String> placed = this.client.postJson("/api/orders",
				"{\"customer\": \"" + customer + "\", \"amount\": " + (customer.length() * 7.25) + "}");
		assertThat(placed.statusCode()).isEqualTo(202);
		return this.client.json(placed).get("orderId").asString();
	}

	private List<String> orderIdsShown() {
		return this.browser.findElements(By.cssSelector("#orders-table tbody tr"))
			.stream()
			.map((row) -> row.getDomAttribute("data-order-id"))
			.toList();
	}

	private WebElement find(String selector) {
		return this.browser.findElement(By.cssSelector(selector));
	}

	private String text(String selector) {
		return find(selector).getText();
	}

	private String value(String selector) {
		return find(selector).getDomProperty("value");
	}

	private List<String> cells(String selector) {
		return this.browser.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
	}

	private void type(String selector, String text) {
		WebElement field = find(selector);
		field.clear();
		field.sendKeys(text);
	}

	private void click(String selector) {
		find(selector).click();
	}

	private void awaitText(String selector, String expected) {
		await().atMost(WAIT)
			.ignoreException(StaleElementReferenceException.class)
			.untilAsserted(() -> assertThat(text(selector)).as(selector).isEqualTo(expected));
	}

}
