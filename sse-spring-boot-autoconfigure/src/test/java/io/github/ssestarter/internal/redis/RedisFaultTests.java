package io.github.ssestarter.internal.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.ssestarter.internal.redis.RedisInstances.PATIENCE;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances sharing a topic through a Redis server that this test kills, restarts empty and
 * pauses, while a publisher keeps publishing and clients stay connected over HTTP.
 */
class RedisFaultTests {

	private static final String TOPIC = "faults";

	/** Runs each task on a new thread: they block, and the common pool may have a single thread. */
	private static final Executor OWN_THREAD = (task) -> new Thread(task).start();

	private final RedisInstances instances = new RedisInstances();

	private RedisServer redis;

	private int port;

	@BeforeEach
	void startRedis() throws IOException {
		this.port = RedisInstances.freePort();
		this.redis = RedisServer.start(this.port);
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.instances.close();
		this.redis.stop();
	}

	@Test
	void deliversEveryAcceptedEventOnceThroughRedisKilledAndRestartedEmpty() throws Exception {
		Instance a = this.instances.start(this.port, "--sse.heartbeat=200ms");
		Instance b = this.instances.start(this.port, "--sse.heartbeat=200ms");
		try (Subscriber onA = new Subscriber(a); Subscriber onB = new Subscriber(b);
				Publisher publisher = new Publisher(a)) {
			await().atMost(PATIENCE).until(() -> publisher.accepted.size() >= 100);
			String acceptedBeforeOutage = publisher.acceptedIds.get(50);

			int acceptedAtKill = publisher.accepted.size();
			this.redis.kill();
			int heartbeatsOnA = onA.stream.comments.size();
			int heartbeatsOnB = onB.stream.comments.size();
			int refusedBefore = publisher.refused.get();
			// Five seconds without Redis: both clients stay connected.
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
				.until(() -> !onA.ended.get() && !onB.ended.get());
			assertThat(publisher.refused.get()).isGreaterThan(refusedBefore);
			assertThat(onA.stream.comments.size()).isGreaterThanOrEqualTo(heartbeatsOnA + 10);
			assertThat(onB.stream.comments.size()).isGreaterThanOrEqualTo(heartbeatsOnB + 10);

			this.redis = RedisServer.start(this.port);
			int acceptedAtRestart = publisher.accepted.size();
			await().atMost(PATIENCE).until(() -> publisher.accepted.size() >= acceptedAtRestart + 200);
			publisher.stop();

			List<String> accepted = List.copyOf(publisher.accepted);
			String last = accepted.get(accepted.size() - 1);
			await().atMost(PATIENCE).until(() -> onA.data.contains(last) && onB.data.contains(last));
			List<String> atTheKill = accepted.subList(acceptedAtKill, acceptedAtRestart);
			assertEveryAcceptedEventOnceButAtTheKill(onA, accepted, atTheKill);
			assertEveryAcceptedEventOnceButAtTheKill(onB, accepted, atTheKill);

			// A client that resumes across the restart gets what it missed, where the instance still has it,
			assertThat(resumedData(b, acceptedBeforeOutage, 5))
				.containsExactlyElementsOf(accepted.subList(51, 56));
			// or a reset event where it starts from what Redis holds now: never a silent gap.
			Instance fresh = this.instances.start(this.port);
			try (SseTestClient.Stream stream = fresh.client().open("/topics/" + TOPIC, "Last-Event-ID",
					acceptedBeforeOutage)) {
				SseEvent first = next(stream);
				assertThat(first.eventType()).isEqualTo("reset");
			}
		}
	}

	@Test
	void keepsHeartbeatsThreadsAndNewStreamsGoingWhileRedisIsPausedThenDeliversAgain() throws Exception {
		Instance a = this.instances.start(this.port, "--sse.heartbeat=200ms");
		Instance b = this.instances.start(this.port, "--sse.heartbeat=200ms");
		try (Subscriber onB = new Subscriber(b)) {
			a.broadcaster().publish(TOPIC, "before");
			await().atMost(PATIENCE).until(() -> onB.data.contains("before"));
			int heartbeats = onB.stream.comments.size();

			this.redis.command("CLIENT", "PAUSE", "3000");
			// Publishers wait, up to the command timeout, on threads of their own.
			List<CompletableFuture<String>> publishing = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String data = "paused-" + i;
				publishing.add(CompletableFuture.supplyAsync(() -> tryPublish(a, data), OWN_THREAD));
			}
			// A new stream of a topic this instance serves needs nothing from Redis.
			try (SseTestClient.Stream another = b.client().open("/topics/" + TOPIC)) {
				assertThat(another.status()).isEqualTo(200);
			}
			// Within the pause's three seconds.
			await().atMost(Duration.ofMillis(2500)).until(() -> onB.stream.comments.size() >= heartbeats + 3);
			assertThat(backplaneThreads()).isLessThanOrEqualTo(4);

			List<String> acceptedWhilePaused = new ArrayList<>();
			for (CompletableFuture<String> publication : publishing) {
				String data = publication.get();
				if (data != null) {
					acceptedWhilePaused.add(data);
				}
			}
			a.broadcaster().publish(TOPIC, "after");
			await().atMost(PATIENCE).until(() -> onB.data.contains("after"));
			// What was accepted arrives once; what timed out may still have reached Redis, and then
			// arrives once too.
			assertThat(onB.data).doesNotHaveDuplicates().startsWith("before").endsWith("after")
				.containsAll(acceptedWhilePaused);
			assertThat(onB.resets).isEmpty();
		}
	}

	@Test
	void deliversWhatWasPublishedWhileBothTheAnnouncementsAndTheirCountWereLost() throws Exception {
		Instance a = this.instances.start(this.port);
		try (Subscriber onA = new Subscriber(a)) {
			List<String> before = List.of("before0", "before1", "before2");
			before.forEach((data) -> a.broadcaster().publish(TOPIC, data));
			await().atMost(PATIENCE).until(() -> onA.data.size() == 3);

			// Redis loses its data (as on a restart) and this instance its subscription, and as many
			// events are published as before: a count that starts again from zero would now read
			// the same as the one this instance last heard.
			this.redis.flushAll();
			this.redis.command("CLIENT", "KILL", "TYPE", "pubsub");
			List<String> after = List.of("after0", "after1", "after2");
			after.forEach((data) -> a.broadcaster().publish(TOPIC, data));

			await().atMost(PATIENCE).until(() -> onA.data.size() == 6);
			assertThat(onA.data).containsExactly("before0", "before1", "before2", "after0", "after1", "after2");
		}
	}

	/**
	 * Every accepted event arrives once, in order, but for one that Redis accepted in the instant
	 * it was killed: Redis answers the publisher before it sends the announcement, so a Redis that
	 * keeps nothing on disk and dies in between takes that event with it, and an instance that
	 * never heard of it cannot tell (README, "Scale-out"). The test allows that for the events
	 * accepted between the kill and the restart only.
	 */
	private static void assertEveryAcceptedEventOnceButAtTheKill(Subscriber subscriber, List<String> accepted,
			List<String> atTheKill) {
		assertThat(subscriber.data).doesNotHaveDuplicates().isSubsetOf(accepted);
		List<String> missing = accepted.stream().filter((data) -> !subscriber.data.contains(data)).toList();
		assertThat(atTheKill).containsAll(missing);
		assertThat(subscriber.data).containsExactlyElementsOf(
				accepted.stream().filter((data) -> !missing.contains(data)).toList());
		assertThat(subscriber.resets).extracting(SseEvent::data).allMatch("lost"::equals);
	}

	private static String tryPublish(Instance instance, String data) {
		try {
			instance.broadcaster().publish(TOPIC, data);
			return data;
		}
		catch (SseBackplaneException ex) {
			return null;
		}
	}

	private static List<String> resumedData(Instance instance, String lastEventId, int count) {
		try (SseTestClient.Stream stream = instance.client().open("/topics/" + TOPIC, "Last-Event-ID", lastEventId)) {
			return RedisInstances.data(stream, count);
		}
	}

	private static long backplaneThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("sse-redis-")).count();
	}

	/** A client of one instance, reading on a thread of its own until closed. */
	private static final class Subscriber implements AutoCloseable {

		final SseTestClient.Stream stream;

		final List<String> data = new CopyOnWriteArrayList<>();

		final List<SseEvent> resets = new CopyOnWriteArrayList<>();

		final AtomicBoolean ended = new AtomicBoolean();

		Subscriber(Instance instance) {
			this.stream = instance.client().open("/topics/" + TOPIC);
			CompletableFuture.runAsync(() -> {
				try {
					for (SseEvent event = this.stream.next(); event != null; event = this.stream.next()) {
						if ("reset".equals(event.eventType())) {
							this.resets.add(event);
						}
						else {
							this.data.add(event.data());
						}
					}
				}
				catch (RuntimeException ex) {
					// Closed by the test.
				}
				this.ended.set(true);
			}, OWN_THREAD);
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount(TOPIC) >= 1);
		}

		@Override
		public void close() {
			this.stream.close();
		}

	}

	/** Publishes numbered events on an instance, about one every two milliseconds, keeping what was accepted. */
	private static final class Publisher implements AutoCloseable {

		final List<String> accepted = new CopyOnWriteArrayList<>();

		final List<String> acceptedIds = new CopyOnWriteArrayList<>();

		final AtomicInteger refused = new AtomicInteger();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final CompletableFuture<Void> done;

		Publisher(Instance instance) {
			this.done = CompletableFuture.runAsync(() -> {
				for (int n = 0; this.running.get(); n++) {
					String data = Integer.toString(n);
					try {
						this.acceptedIds.add(instance.broadcaster().publish(TOPIC, data));
						this.accepted.add(data);
					}
					catch (SseBackplaneException ex) {
						this.refused.incrementAndGet();
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
				}
			}, OWN_THREAD);
		}

		void stop() {
			this.running.set(false);
			this.done.join();
		}

		@Override
		public void close() {
			stop();
		}

	}

}
