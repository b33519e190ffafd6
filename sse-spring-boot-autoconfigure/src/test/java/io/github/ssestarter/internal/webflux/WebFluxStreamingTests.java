package io.github.ssestarter.internal.webflux;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Controller methods of a Spring WebFlux application on Netty, without Spring MVC on the class path:
 * those that ask for an event stream get one, by the same rules and with the same wire format as on
 * Spring MVC, and the others are answered by WebFlux as without the starter.
 */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class WebFluxStreamingTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	WebFluxTestApplication.Probe probe;

	@Autowired
	SseConnectionManager connections;

	@Test
	void runsOnNettyWithoutSpringMvc() {
		assertThat(ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", null)).isFalse();
		assertThat(this.context.getWebServer().getClass().getSimpleName()).contains("Netty");
	}

	@Test
	void streamsAFluxOfItemsWithTheEventStreamHeaders() {
		try (SseTestClient.Stream stream = client().open("/items")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
			assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
			assertThat(next(stream)).isEqualTo(new SseEvent("number", "one", "1"));
			assertThat(next(stream)).isEqualTo(new SseEvent("number", "two", "2"));
			assertThat(next(stream)).as("the end of the stream").isNull();
		}
	}

	@Test
	void streamsPlainElementsWithTheEndpointsEventTypeAfterItsRetryHint() {
		try (SseTestClient.Stream stream = client().open("/notes")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(next(stream)).isEqualTo(new SseEvent("note", "a", ""));
			assertThat(next(stream)).isEqualTo(new SseEvent("note", "b", ""));
			assertThat(next(stream)).isNull();
		}
	}

	@Test
	void streamsSpringsOwnServerSentEvents() {
		try (SseTestClient.Stream stream = client().open("/spring-events")) {
			assertThat(next(stream)).isEqualTo(new SseEvent("spring", "x", "7"));
		}
	}

	@Test
	void pullsABlockingStreamOffTheEventLoop() {
		try (SseTestClient.Stream stream = client().open("/lines")) {
			assertThat(next(stream).data()).isEqualTo("first");
			assertThat(next(stream).data()).isEqualTo("second");
			assertThat(next(stream)).isNull();
		}
	}

	@Test
	void sendsHeartbeatsWhileTheSourceIsQuietAndCancelsItWhenTheClientLeaves() throws Exception {
		this.probe.cancelled = new CountDownLatch(1);
		try (SseTestClient.Stream stream = client().open("/quiet")) {
			assertThat(stream.status()).as("the headers before any event").isEqualTo(200);
			CompletableFuture.runAsync(stream::next);
			await().atMost(PATIENCE).until(() -> stream.comments.size() >= 2);
			assertThat(stream.comments).allMatch("heartbeat"::equals);
		}
		assertThat(this.probe.cancelled.await(10, TimeUnit.SECONDS)).as("the source cancelled").isTrue();
		await().atMost(PATIENCE).until(() -> this.connections.openConnections() == 0);
	}

	@Test
	void keepsPaceWithAnEndlessSource() {
		try (SseTestClient.Stream stream = client().open("/ticks")) {
			for (long i = 0; i < 20; i++) {
				SseEvent event = next(stream);
				assertThat(event.eventType()).isEqualTo("tick");
				assertThat(event.data()).isEqualTo(Long.toString(i));
			}
		}
	}

	@Test
	void resolvesTheLastEventIdFromTheHeaderOrTheQueryParameter() {
		try (SseTestClient.Stream stream = client().open("/last-event-id", "Last-Event-ID", "42")) {
			assertThat(next(stream).data()).isEqualTo("42");
		}
		try (SseTestClient.Stream stream = client().open("/last-event-id?lastEventId=7")) {
			assertThat(next(stream).data()).isEqualTo("7");
		}
		try (SseTestClient.Stream stream = client().open("/last-event-id")) {
			assertThat(next(stream).data()).isEqualTo("null");
		}
	}

	@Test
	void answersAnInvalidLastEventIdWithProblemDetails() {
		try (SseTestClient.Stream stream = client().open("/last-event-id?lastEventId=a%0Ab")) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(stream.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(stream.body()).contains("\"status\":400").contains("lastEventId parameter contains control characters");
		}
	}

	@Test
	void leavesMethodsThatDoNotAskForAStreamToWebFlux() {
		try (SseTestClient.Stream stream = client().open("/json", "Accept", "application/json")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("application/json");
			assertThat(stream.body()).isEqualTo("[{\"name\":\"a\"},{\"name\":\"b\"}]");
		}
		try (SseTestClient.Stream stream = client().open("/list")) {
			assertThat(stream.body()).isEqualTo("[\"a\",\"b\"]");
		}
	}

	private SseTestClient client() {
		return new SseTestClient(this.port);
	}

	private static SseEvent next(SseTestClient.Stream stream) {
		return assertTimeoutPreemptively(PATIENCE, stream::next);
	}

}
