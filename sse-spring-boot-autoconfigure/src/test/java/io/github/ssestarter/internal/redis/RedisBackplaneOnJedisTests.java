package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static io.github.ssestarter.internal.redis.RedisInstances.data;
import static io.github.ssestarter.internal.redis.RedisInstances.freePort;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The backplane on Jedis connections ({@code spring.data.redis.client-type=jedis}), where an
 * append waits for its answer instead of being batched: the same delivery, order, replay and
 * outage behaviour as with Lettuce.
 */
class RedisBackplaneOnJedisTests {

	private static final Duration PATIENCE = RedisInstances.PATIENCE;

	private final RedisInstances instances = new RedisInstances();

	/** Topics are new for each test, since the streams outlive the test run in Redis. */
	private final String topic = "jedis-" + UUID.randomUUID();

	/** Stopping must not wait for the blocked subscription: it once did, for ever. */
	@AfterEach
	void stopInstances() {
		assertTimeoutPreemptively(PATIENCE, this.instances::close);
	}

	@Test
	void holdsItsSubscriptionOnAThreadOfItsOwn() {
		Instance a = start(6379);
		assertThat(a.context().getBean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
		try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
			awaitSubscribers(a, 1);
			a.broadcaster().publish(this.topic, "one");
			assertThat(next(stream).data()).isEqualTo("one");
			assertThat(threadsNamed("sse-redis-announcements")).isEqualTo(1);
		}
		this.instances.close();
		await().atMost(PATIENCE).until(() -> threadsNamed("sse-redis-announcements") == 0);
	}

	@Test
	void deliversInOrderAcrossInstancesWhatOneThreadPublishes() {
		Instance a = start(6379);
		Instance b = start(6379);
		try (SseTestClient.Stream onA = a.client().open("/topics/" + this.topic);
				SseTestClient.Stream onB = b.client().open("/topics/" + this.topic)) {
			awaitSubscribers(a, 1);
			awaitSubscribers(b, 1);
			List<CompletableFuture<String>> publications = IntStream.range(0, 500)
				.mapToObj((i) -> a.broadcaster().publishAsync(this.topic, SseItem.of(Integer.toString(i))))
				.toList();
			List<String> ids = publications.stream().map(CompletableFuture::join).toList();
			for (SseTestClient.Stream stream : List.of(onA, onB)) {
				for (int i = 0; i < 500; i++) {
					SseEvent event = next(stream);
					assertThat(event.data()).isEqualTo(Integer.toString(i));
					assertThat(event.lastEventId()).isEqualTo(ids.get(i));
				}
			}
		}
	}

	@Test
	void keepsAddressedEventsToTheirUserAndReplaysThemOnAnotherInstance() {
		Instance a = start(6379);
		Instance b = start(6379);
		String start = a.broadcaster().publish(this.topic, "start");
		try (SseTestClient.Stream alice = b.client().open("/topics/" + this.topic, "X-Test-User", "alice");
				SseTestClient.Stream bob = b.client().open("/topics/" + this.topic, "X-Test-User", "bob")) {
			awaitSubscribers(b, 2);
			a.broadcaster().publishToUser(this.topic, "alice", SseItem.of("for alice"));
			a.broadcaster().publish(this.topic, "for everyone");
			assertThat(data(alice, 2)).containsExactly("for alice", "for everyone");
			assertThat(data(bob, 1)).containsExactly("for everyone");
		}
		Instance c = start(6379);
		try (SseTestClient.Stream alice = c.client().open("/topics/" + this.topic, "X-Test-User", "alice",
				"Last-Event-ID", start)) {
			assertThat(data(alice, 2)).containsExactly("for alice", "for everyone");
		}
	}

	@Test
	void failsPublishesWhileRedisIsAwayAndDeliversAgainOnceItIsBack() throws Exception {
		int port = freePort();
		RedisServer redis = RedisServer.start(port);
		try {
			Instance a = start(port, "--sse.heartbeat=200ms");
			try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
				awaitSubscribers(a, 1);
				a.broadcaster().publish(this.topic, "before");
				assertThat(next(stream).data()).isEqualTo("before");

				redis.stop();
				assertThatExceptionOfType(SseBackplaneException.class)
					.isThrownBy(() -> a.broadcaster().publish(this.topic, "during"));

				redis = RedisServer.start(port);
				await().atMost(PATIENCE).ignoreException(SseBackplaneException.class)
					.until(() -> a.broadcaster().publish(this.topic, "after") != null);
				SseEvent event = next(stream);
				assertThat(event.data()).isEqualTo("after");
			}
		}
		finally {
			redis.stop();
		}
	}

	private Instance start(int redisPort, String... more) {
		String[] arguments = new String[more.length + 1];
		arguments[0] = "--spring.data.redis.client-type=jedis";
		System.arraycopy(more, 0, arguments, 1, more.length);
		return this.instances.start(redisPort, arguments);
	}

	private static long threadsNamed(String name) {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().equals(name)).count();
	}

	private void awaitSubscribers(Instance instance, int count) {
		await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount(this.topic) == count);
	}

}
