package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.internal.webmvc.StreamingTestApplication.Probe;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Streams returned by controller methods, read over real HTTP by the project's own parser.
 */
@SpringBootTest(classes = StreamingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat=300ms", "spring.jackson.property-naming-strategy=SNAKE_CASE" })
class SseStreamingIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Probe probe;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.probe.reset();
		this.client = new SseTestClient(this.port);
	}

	@Test
	void flushesStatusAndHeadersBeforeTheFirstEvent() {
		try (SseTestClient.Stream stream = this.client.open("/quiet")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
			assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
		}
	}

	@Test
	void flushesStatusAndHeadersOfAQuietFlux() {
		try (SseTestClient.Stream stream = this.client.open("/flux-quiet")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
		}
	}

	@Test
	void writesItemsWithIdsTypesAndMultiLineData() {
		try (SseTestClient.Stream stream = this.client.open("/items")) {
			assertThat(stream.readAll(PATIENCE)).containsExactly(new SseEvent("message", "first line\nsecond line", "1"),
					new SseEvent("greeting", "hi", "2"));
		}
	}

	@Test
	void serialisesOtherDataWithTheApplicationsJsonMapper() {
		try (SseTestClient.Stream stream = this.client.open("/points")) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data)
				.containsExactly("{\"x\":1,\"y\":2,\"point_name\":\"origin-ish\"}");
		}
	}

	@Test
	void deliversEachItemWhileTheProducerIsBlockedOnTheNext() {
		try (SseTestClient.Stream stream = this.client.open("/blocking")) {
			this.probe.queue.add("first");
			assertThat(assertTimeoutPreemptively(PATIENCE, stream::next).data()).isEqualTo("first");
			this.probe.queue.add("second");
			assertThat(assertTimeoutPreemptively(PATIENCE, stream::next).data()).isEqualTo("second");
		}
	}

	@Test
	void pullsBlockingStreamsOffTheContainersRequestThreads() {
		try (SseTestClient.Stream stream = this.client.open("/blocking")) {
			this.probe.queue.add("x");
			assertTimeoutPreemptively(PATIENCE, stream::next);
			Thread producer = this.probe.producerThread.get();
			assertThat(producer.getName()).startsWith("sse-").doesNotContain("exec");
			if (Runtime.version().feature() >= 21) {
				assertThat(producer.toString()).startsWith("VirtualThread");
			}
		}
	}

	@Test
	void writesAHeartbeatCommentOnAnIdleStream() {
		try (SseTestClient.Stream stream = this.client.open("/heartbeats")) {
			CompletableFuture.runAsync(stream::next);
			await().atMost(PATIENCE).until(() -> stream.comments.size() >= 2);
			assertThat(stream.comments).allMatch("heartbeat"::equals);
		}
	}

	@Test
	void keepsWritingHeartbeatsWhileAnotherStreamsCleanUpIsSlow() {
		try (SseTestClient.Stream slow = this.client.open("/slow-close");
				SseTestClient.Stream idle = this.client.open("/heartbeats")) {
			await().atMost(PATIENCE).untilTrue(this.probe.slowCloseStarted);
			CompletableFuture.runAsync(idle::next);
			int before = idle.comments.size();
			await().atMost(PATIENCE).until(() -> idle.comments.size() >= before + 2);
		}
		finally {
			this.probe.closeMayFinish.countDown();
		}
	}

	@Test
	void writesNoHeartbeatWhileEventsKeepTheStreamBusy() {
		try (SseTestClient.Stream stream = this.client.open("/busy")) {
			List<SseEvent> events = stream.readAll(PATIENCE);
			assertThat(events).hasSize(30);
			assertThat(stream.comments).isEmpty();
		}
	}

	@Test
	void closesTheStreamWhenTheClientDisconnects() {
		SseTestClient.Stream stream = this.client.open("/blocking");
		this.probe.queue.add("only");
		assertTimeoutPreemptively(PATIENCE, stream::next);
		stream.close();
		await().atMost(PATIENCE).untilTrue(this.probe.streamClosed);
	}

	@Test
	void cancelsTheFluxWhenTheClientDisconnects() {
		SseTestClient.Stream stream = this.client.open("/flux");
		assertThat(assertTimeoutPreemptively(PATIENCE, stream::next).data()).isEqualTo("0");
		stream.close();
		await().atMost(PATIENCE).untilTrue(this.probe.fluxCancelled);
	}

	@Test
	void endsTheStreamCleanlyWhenTheSourceFails() throws Exception {
		assertThat(body("/failing")).isEqualTo("data: 1\n\n");
	}

	@Test
	void endsTheStreamCleanlyWhenTheFluxFails() throws Exception {
		assertThat(body("/flux-failing")).isEqualTo("data: 1\n\n");
	}

	@Test
	void streamsAFluxOfItemsDeclaredWithProduces() {
		try (SseTestClient.Stream stream = this.client.open("/flux-items")) {
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
			assertThat(stream.readAll(PATIENCE))
				.containsExactly(new SseEvent("point", "{\"x\":3,\"y\":4,\"point_name\":\"p\"}", "7"));
		}
	}

	@Test
	void streamsAFluxOfPlainDataWithoutProduces() {
		try (SseTestClient.Stream stream = this.client.open("/flux-plain")) {
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("a", "b", "c");
		}
	}

	@Test
	void asksAFluxForItsFirstElementAsItSubscribes() {
		// A hot source that drops what nobody asked for, such as Flux.interval().onBackpressureDrop()
		try (SseTestClient.Stream stream = this.client.open("/flux-hot")) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("at-once");
		}
	}

	@Test
	void givesItemsTheEndpointsDefaultEventType() {
		try (SseTestClient.Stream stream = this.client.open("/typed")) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::eventType).containsExactly("tick", "other");
		}
	}

	@Test
	void sendsTheEndpointsRetryHintFirst() throws Exception {
		assertThat(body("/retry")).isEqualTo("retry: 2000\n\ndata: x\n\n");
	}

	@Test
	void endsTheStreamAfterItsTimeout() {
		try (SseTestClient.Stream stream = this.client.open("/timeout")) {
			assertThat(assertTimeoutPreemptively(PATIENCE, stream::next)).isNull();
		}
		await().atMost(PATIENCE).untilTrue(this.probe.streamClosed);
	}

	@Test
	void bindsLastEventIdFromTheHeader() {
		try (SseTestClient.Stream stream = this.client.open("/last-event-id", "Last-Event-ID", "42")) {
			assertThat(stream.next().data()).isEqualTo("42");
		}
	}

	@Test
	void bindsLastEventIdFromTheQueryWhenTheHeaderIsAbsent() {
		try (SseTestClient.Stream stream = this.client.open("/last-event-id?lastEventId=17")) {
			assertThat(stream.next().data()).isEqualTo("17");
		}
	}

	@Test
	void prefersTheHeaderToTheQueryParameter() {
		try (SseTestClient.Stream stream = this.client.open("/last-event-id?lastEventId=17", "Last-Event-ID", "42")) {
			assertThat(stream.next().data()).isEqualTo("42");
		}
	}

	@Test
	void bindsNullWhenTheClientSentNoLastEventId() {
		try (SseTestClient.Stream stream = this.client.open("/last-event-id")) {
			assertThat(stream.next().data()).isEqualTo("null");
		}
	}

	@Test
	void refusesAnOverlongLastEventIdBeforeStreaming() {
		try (SseTestClient.Stream stream = this.client.open("/last-event-id", "Last-Event-ID", "9".repeat(300))) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(stream.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(stream.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
					+ "\"detail\":\"Last-Event-ID header is longer than 256 characters\",\"instance\":\"/last-event-id\"}");
		}
		try (SseTestClient.Stream stream = this.client.open("/last-event-id?lastEventId=a%01b")) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(stream.body()).contains("\"detail\":\"lastEventId parameter contains control characters\"");
		}
	}


	private String body(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(PATIENCE)
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
