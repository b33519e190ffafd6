package io.github.ssestarter.internal.broadcast;

import java.time.Duration;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Topics nobody uses any more are dropped with their buffers, so that a topic per entity does not
 * hold memory for ever; one used again starts afresh, and ids from before are recognised.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.replay.max-age=1s", "sse.heartbeat=200ms" })
class TopicRetirementTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Autowired
	MeterRegistry registry;

	@Test
	void dropsATopicWithoutSubscribersOnceItsEventsAreTooOldToReplay() {
		String before = this.broadcaster.publish("short-lived", "before");
		assertThat(this.broadcaster.topicNames()).contains("short-lived");
		assertThat(this.registry.find("sse.events.published").tag("topic", "short-lived").counter()).isNotNull();
		await().atMost(PATIENCE).until(() -> !this.broadcaster.topicNames().contains("short-lived"));
		// Its meters go with it, just after.
		await().atMost(PATIENCE)
			.until(() -> this.registry.find("sse.events.published").tag("topic", "short-lived").counter() == null);

		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/topics/short-lived", "Last-Event-ID",
				before)) {
			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo("other-epoch");
			String after = this.broadcaster.publish("short-lived", "after");
			assertThat(epochOf(after)).isNotEqualTo(epochOf(before));
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("after");
			assertThat(event.lastEventId()).isEqualTo(after);
		}
	}

	@Test
	void keepsATopicWhileItHasSubscribers() {
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/topics/long-lived")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("long-lived") == 1);
			this.broadcaster.publish("long-lived", "one");
			assertThat(next(stream).data()).isEqualTo("one");
			// Several sweeps pass, and the event grows older than the replay age, while the client stays.
			await().during(Duration.ofSeconds(2)).atMost(PATIENCE)
				.until(() -> this.broadcaster.topicNames().contains("long-lived"));
			this.broadcaster.publish("long-lived", "two");
			assertThat(next(stream).data()).isEqualTo("two");
		}
	}

	@Test
	void removesTheConnectionGaugeOfARetiredTopic() {
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/topics/visited")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("visited") == 1);
			assertThat(activeGauge("visited")).isNotNull();
		}
		await().atMost(PATIENCE).until(() -> !this.broadcaster.topicNames().contains("visited"));
		// The stream's end may be reported just after the topic retired: the gauge goes then.
		await().atMost(PATIENCE).until(() -> activeGauge("visited") == null);
	}

	private @Nullable Gauge activeGauge(String topic) {
		return this.registry.find("sse.connections.active").tag("topic", topic).gauge();
	}

	private static SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).isNotNull();
		return event;
	}

	private static String epochOf(String id) {
		return id.substring(0, id.lastIndexOf('-'));
	}

}
