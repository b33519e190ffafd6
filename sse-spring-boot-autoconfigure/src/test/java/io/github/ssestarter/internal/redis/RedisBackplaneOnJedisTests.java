package io.github.ssestarter.internal.redis;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static io.github.ssestarter.internal.redis.RedisInstances.PATIENCE;
import static io.github.ssestarter.internal.redis.RedisInstances.freePort;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Everything several instances do through Redis, on Jedis connections
 * ({@code spring.data.redis.client-type=jedis}): appends wait for their answer instead of going in
 * batches, and the subscription to announcements blocks the thread that makes it.
 */
class RedisBackplaneOnJedisTests extends RedisBackplaneIntegrationTests {

	@Override
	Instance start(int redisPort, String... more) {
		String[] arguments = new String[more.length + 1];
		arguments[0] = "--spring.data.redis.client-type=jedis";
		System.arraycopy(more, 0, arguments, 1, more.length);
		return super.start(redisPort, arguments);
	}

	/** No subscription's thread outlives its instance, whatever the test did to Redis. */
	@Override
	@AfterEach
	void stopInstances() {
		super.stopInstances();
		await().atMost(PATIENCE).until(() -> threadsNamed("sse-redis-announcements") == 0);
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
	}

	@Test
	void subscribesAgainOnceRedisIsBackAndUnsubscribesWhenStopped() throws Exception {
		RedisServer redis = RedisServer.start(freePort());
		try {
			Instance a = start(redis.port());
			try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
				awaitSubscribers(a, 1);
				awaitAnnouncementSubscribers(redis, 1);
				redis.stop();
				assertThatExceptionOfType(SseBackplaneException.class)
					.isThrownBy(() -> a.broadcaster().publish(this.topic, "during"));
				// Away until the instance sees it, long enough for attempts to subscribe again to fail.
				await().atMost(PATIENCE).until(() -> "DOWN".equals(a.broadcaster().backplaneState().get("status")));
				redis = RedisServer.start(redis.port());
				awaitAnnouncementSubscribers(redis, 1);
				await().atMost(PATIENCE).ignoreExceptions()
					.until(() -> a.broadcaster().publish(this.topic, "after") != null);
				assertThat(next(stream).data()).isEqualTo("after");
			}
			this.instances.close();
			awaitAnnouncementSubscribers(redis, 0);
		}
		finally {
			redis.stop();
		}
	}

	@Test
	void holdsOneSubscriptionAfterTheApplicationIsStoppedAndStartedAgain() throws Exception {
		RedisServer redis = RedisServer.start(freePort());
		try {
			Instance a = start(redis.port());
			try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
				awaitSubscribers(a, 1);
				awaitAnnouncementSubscribers(redis, 1);
			}
			a.context().stop();
			a.context().start();
			try (SseTestClient.Stream stream = a.client().open("/topics/" + this.topic)) {
				awaitSubscribers(a, 1);
				a.broadcaster().publish(this.topic, "after");
				assertThat(next(stream).data()).isEqualTo("after");
				awaitAnnouncementSubscribers(redis, 1);
				// The thread of the subscription before the stop ends once Redis confirmed its end.
				await().atMost(PATIENCE).until(() -> threadsNamed("sse-redis-announcements") == 1);
			}
		}
		finally {
			this.instances.close();
			redis.stop();
		}
	}

	private static void awaitAnnouncementSubscribers(RedisServer redis, int count) {
		await().atMost(PATIENCE).until(() -> redis.subscribers(Announcement.CHANNEL) == count);
	}

	private static long threadsNamed(String name) {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().equals(name)).count();
	}

}
