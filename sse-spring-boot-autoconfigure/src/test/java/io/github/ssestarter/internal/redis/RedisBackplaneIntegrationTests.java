package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.stream.RecordId;


import static io.github.ssestarter.internal.redis.RedisInstances.data;
import static io.github.ssestarter.internal.redis.RedisInstances.freePort;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Several instances sharing topics through Redis: the local Redis on 6379 for most tests, and one
 * the test starts and stops itself for the outage.
 */
class RedisBackplaneIntegrationTests {

	private static final Duration PATIENCE = RedisInstances.PATIENCE;

	final RedisInstances instances = new RedisInstances();

	/** Topics are new for each test, since the streams outlive the test run in Redis. */
	final String topic = "test-" + UUID.randomUUID();

	/** Stopping must not wait on Redis: with Jedis it once waited for ever. */
	@AfterEach
	void stopInstances() {
		assertTimeoutPreemptively(PATIENCE, this.instances::close);
	}

	@Test
	void deliversEventsPublishedOnOneInstanceToClientsOfAnother() {
		Instance a = start(6379);
		Instance b = start(6379);
		try (SseTestClient.Stream stream = b.client().open("/topics/" + this.topic)) {
			awaitSubscribers(b, 1);
			List<String> ids = IntStream.range(0, 3).mapToObj((i) -> a.broadcaster().publish(this.topic, "e" + i)).toList();
			for (int i = 0; i < 3; i++) {
				SseEvent event = next(stream);
				assertThat(event.data()).isEqualTo("e" + i);
				assertThat(event.lastEventId()).isEqualTo(ids.get(i));
			}
		}
	}

	@Test
	void resumesOnAnotherInstanceWithNoGapWhilePublishingGoesOn() throws Exception {
		Instance a = start(6379);
		Instance b = start(6379);
		AtomicBoolean publishing = new AtomicBoolean(true);
		CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 30_000 && publishing.get(); i++) {
				a.broadcaster().publish(this.topic, Integer.toString(i));
				pause();
			}
		});
		List<Integer> received = new ArrayList<>();
		String lastId = null;
		int connections = 0;
		while (received.size() < 600) {
			Instance instance = (connections % 2 == 0) ? a : b;
			String[] headers = (lastId != null) ? new String[] { "Last-Event-ID", lastId } : new String[0];
			connections++;
			try (SseTestClient.Stream stream = instance.client().open("/topics/" + this.topic, headers)) {
				for (int i = 0; i < 100 && received.size() < 600; i++) {
					SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
					if (event == null) {
						break;
					}
					received.add(Integer.parseInt(event.data()));
					lastId = event.lastEventId();
				}
			}
		}
		publishing.set(false);
		publisher.get();
		int first = received.get(0);
		assertThat(received).containsExactlyElementsOf(
				IntStream.range(first, first + 600).boxed().collect(Collectors.toList()));
		assertThat(connections).isGreaterThanOrEqualTo(6);
	}

	@Test
	void keepsAddressedEventsToTheirUserAcrossInstances() {
		Instance a = start(6379);
		Instance b = start(6379);
		String start = a.broadcaster().publish(this.topic, "start");
		try (SseTestClient.Stream alice = b.client().open("/topics/" + this.topic, "X-Test-User", "alice");
				SseTestClient.Stream bob = a.client().open("/topics/" + this.topic, "X-Test-User", "bob")) {
			awaitSubscribers(a, 1);
			awaitSubscribers(b, 1);
			a.broadcaster().publishToUser(this.topic, "alice", SseItem.of("for alice"));
			b.broadcaster().publishToUser(this.topic, "bob", SseItem.of("for bob"));
			a.broadcaster().publish(this.topic, "for everyone");
			assertThat(data(alice, 2)).containsExactly("for alice", "for everyone");
			assertThat(data(bob, 2)).containsExactly("for bob", "for everyone");
		}
		// Replayed from Redis by an instance whose own buffer never held them.
		Instance c = start(6379);
		try (SseTestClient.Stream alice = c.client().open("/topics/" + this.topic, "X-Test-User", "alice",
				"Last-Event-ID", start)) {
			assertThat(data(alice, 2)).containsExactly("for alice", "for everyone");
		}
	}

	@Test
	void publishesFromOneThreadWithoutWaitingAndKeepsItsOrder() {
		Instance a = start(6379, "--sse.subscriber.queue-capacity=2500");
		Instance b = start(6379, "--sse.subscriber.queue-capacity=2500");
		try (SseTestClient.Stream stream = b.client().open("/topics/" + this.topic)) {
			awaitSubscribers(b, 1);
			List<CompletableFuture<String>> publications = IntStream.range(0, 2_000)
				.mapToObj((i) -> a.broadcaster().publishAsync(this.topic, SseItem.of(Integer.toString(i))))
				.toList();
			List<String> ids = publications.stream().map(CompletableFuture::join).toList();
			assertThat(ids).isSortedAccordingTo(Comparator.comparing(RecordId::of,
					Comparator.comparingLong(RecordId::getTimestamp).thenComparingLong(RecordId::getSequence)));
			for (int i = 0; i < 2_000; i++) {
				SseEvent event = next(stream);
				assertThat(event.data()).isEqualTo(Integer.toString(i));
				assertThat(event.lastEventId()).isEqualTo(ids.get(i));
			}
		}
	}

	@Test
	void sendsAnEmptyItemAsAnEventWithoutDataAsInMemory() {
		Instance a = start(6379);
		Instance b = start(6379);
		try (SseTestClient.Stream stream = b.client().open("/topics/" + this.topic)) {
			awaitSubscribers(b, 1);
			String empty = a.broadcaster().publish(this.topic, SseItem.empty());
			a.broadcaster().publish(this.topic, "x");
			// Browsers do not dispatch an event without data; a "data:" line would make it a message.
			SseEvent next = next(stream);
			assertThat(next.data()).isEqualTo("x");
			assertThat(empty).isNotNull();
		}
	}

	@Test
	void deliversToAUserWhoseNameHoldsACommaOnlyToThatUser() {
		Instance a = start(6379);
		try (SseTestClient.Stream both = a.client().open("/topics/" + this.topic, "X-Test-User", "ann,bob");
				SseTestClient.Stream ann = a.client().open("/topics/" + this.topic, "X-Test-User", "ann")) {
			awaitSubscribers(a, 2);
			a.broadcaster().publishToUser(this.topic, "ann,bob", SseItem.of("for ann,bob"));
			a.broadcaster().publish(this.topic, "for everyone");
			assertThat(data(both, 2)).containsExactly("for ann,bob", "for everyone");
			assertThat(data(ann, 1)).containsExactly("for everyone");
		}
	}

	@Test
	void countsAPublicationOnceWhereItWasPublishedNotOncePerInstance() {
		Instance a = start(6379);
		Instance b = start(6379);
		try (SseTestClient.Stream onA = a.client().open("/topics/" + this.topic);
				SseTestClient.Stream onB = b.client().open("/topics/" + this.topic)) {
			awaitSubscribers(a, 1);
			awaitSubscribers(b, 1);
			IntStream.range(0, 3).forEach((i) -> a.broadcaster().publish(this.topic, "e" + i));
			assertThat(data(onA, 3)).hasSize(3);
			assertThat(data(onB, 3)).hasSize(3);
		}
		assertThat(published(a)).isEqualTo(3);
		assertThat(published(b)).isZero();
	}

	private double published(Instance instance) {
		Counter counter = instance.context().getBean(MeterRegistry.class).find("sse.events.published")
			.tag("topic", this.topic).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void replaysAnOldIdAfterEveryInstanceRestarted() {
		Instance a = start(6379);
		List<String> ids = IntStream.range(0, 5).mapToObj((i) -> a.broadcaster().publish(this.topic, "e" + i)).toList();
		this.instances.close();
		Instance restarted = start(6379);
		try (SseTestClient.Stream stream = restarted.client().open("/topics/" + this.topic, "Last-Event-ID", ids.get(1))) {
			assertThat(data(stream, 3)).containsExactly("e2", "e3", "e4");
			String live = restarted.broadcaster().publish(this.topic, "e5");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("e5");
			assertThat(event.lastEventId()).isEqualTo(live);
		}
	}

	@Test
	void sendsResetEventsForIdsTheStreamCannotReplay() {
		Instance a = start(6379, "--sse.replay.capacity=5", "--sse.subscriber.queue-capacity=5");
		String oldest = a.broadcaster().publish(this.topic, "0");
		IntStream.range(1, 20).forEach((i) -> a.broadcaster().publish(this.topic, Integer.toString(i)));
		assertResetThenLive(a, oldest, "evicted");
		assertResetThenLive(a, "garbage", "unknown-id");
		assertResetThenLive(a, "99999999999999-0", "unknown-id");
	}

	@Test
	void keepsStreamsOpenThroughARedisOutageAndDeliversEveryAcceptedEvent() throws Exception {
		int port = freePort();
		RedisServer redis = RedisServer.start(port);
		try {
			Instance a = start(port, "--sse.heartbeat=200ms");
			List<String> received = new CopyOnWriteArrayList<>();
			try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
				CompletableFuture.runAsync(() -> {
					for (SseEvent event = stream.next(); event != null; event = stream.next()) {
						received.add(event.data());
					}
				});
				awaitSubscribers(a, 1);
				IntStream.range(0, 3).forEach((i) -> a.broadcaster().publish(this.topic, "before" + i));
				await().atMost(PATIENCE).until(() -> received.size() == 3);

				redis.stop();
				assertThatExceptionOfType(SseBackplaneException.class)
					.isThrownBy(() -> a.broadcaster().publish(this.topic, "during"));
				int heartbeats = stream.comments.size();
				await().atMost(PATIENCE).until(() -> stream.comments.size() >= heartbeats + 3);
				assertThat(a.broadcaster().backplaneState()).containsEntry("status", "DOWN");

				redis = RedisServer.start(port);
				await().atMost(PATIENCE).ignoreException(SseBackplaneException.class)
					.until(() -> a.broadcaster().publish(this.topic, "after0") != null);
				IntStream.range(1, 3).forEach((i) -> a.broadcaster().publish(this.topic, "after" + i));
				await().atMost(PATIENCE).until(() -> received.size() == 6);
				assertThat(received).containsExactly("before0", "before1", "before2", "after0", "after1", "after2");
			}
		}
		finally {
			redis.stop();
		}
	}

	private void assertResetThenLive(Instance instance, String lastEventId, String reason) {
		try (SseTestClient.Stream stream = instance.client().open("/topics/" + this.topic, "Last-Event-ID", lastEventId)) {
			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo(reason);
			String live = instance.broadcaster().publish(this.topic, "live");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("live");
			assertThat(event.lastEventId()).isEqualTo(live);
		}
	}

	/** Starts an instance on Redis at that port; subclasses choose the client. */
	Instance start(int redisPort, String... more) {
		return this.instances.start(redisPort, more);
	}

	void awaitSubscribers(Instance instance, int count) {
		await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount(this.topic) == count);
	}

	private static void pause() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
