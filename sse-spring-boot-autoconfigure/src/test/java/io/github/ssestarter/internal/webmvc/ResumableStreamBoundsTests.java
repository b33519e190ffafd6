package io.github.ssestarter.internal.webmvc;

import java.time.Duration;

import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.internal.webmvc.ResumableTestApplication.Probe;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.ssestarter.internal.webmvc.ResumableStreamTests.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What resumable streams do at their bounds: a client that lost more than the buffer holds gets
 * the reset event, and beyond the most detached streams the one that waited longest is cancelled.
 */
@SpringBootTest(classes = ResumableTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat=200ms", "sse.resume.capacity=4", "sse.resume.max-detached=1" })
class ResumableStreamBoundsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Probe probe;

	@Autowired
	ResumableStreams streams;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.probe.reset();
		this.client = new SseTestClient(this.port);
	}

	@Test
	void sendsTheResetEventToAClientThatLostMoreThanTheBufferHolds() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/queued/lossy")) {
			this.probe.queue("lossy").add("first");
			assertThat(next(stream).data()).isEqualTo("first");
			lastId = stream.lastEventId();
			// Written to the connection but never read: lost in flight when the client drops.
			for (int i = 0; i < 10; i++) {
				this.probe.queue("lossy").add("unread " + i);
			}
			await().atMost(PATIENCE).until(this.probe.queue("lossy")::isEmpty);
		}
		try (SseTestClient.Stream stream = this.client.open("/queued/lossy", "Last-Event-ID", lastId)) {
			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo("evicted");
			this.probe.queue("lossy").add("live");
			SseEvent live = next(stream);
			while (live.data().startsWith("unread")) {
				live = next(stream);
			}
			assertThat(live.data()).isEqualTo("live");
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void cancelsTheStreamThatWaitedLongestWhenTooManyWait() {
		// Streams of other tests expire first (their window is two seconds).
		await().atMost(PATIENCE).until(() -> this.streams.size() == 0);
		String firstId = openReadAndLeave("first");
		await().atMost(PATIENCE).until(() -> this.streams.detachedCount() == 1);
		openReadAndLeave("second");
		await().atMost(PATIENCE).until(() -> this.probe.closed.contains("first"));
		assertThat(this.probe.closed).doesNotContain("second");
		try (SseTestClient.Stream stream = this.client.open("/queued/first", "Last-Event-ID", firstId)) {
			await().atMost(PATIENCE).until(() -> this.probe.started.get() == 3);
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	private String openReadAndLeave(String name) {
		try (SseTestClient.Stream stream = this.client.open("/queued/" + name)) {
			this.probe.queue(name).add(name);
			assertThat(next(stream).data()).isEqualTo(name);
			return stream.lastEventId();
		}
	}

}
