package io.github.ssestarter.internal.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static io.github.ssestarter.internal.redis.RedisInstances.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishes waiting for Redis are sent together, and announced together, on a {@code redis-server} of the test's own so
 * that its command counts are the test's alone.
 */
class RedisAppendBatchTests {

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
	void sendsAndAnnouncesPublishesThatWaitTogetherInFewerCallsAndKeepsTheirOrder() {
		Instance a = this.instances.start(this.port, "--sse.subscriber.queue-capacity=2500");
		Instance b = this.instances.start(this.port, "--sse.subscriber.queue-capacity=2500");
		try (SseTestClient.Stream stream = b.client().open("/topics/orders")) {
			awaitSubscribers(b, 1);
			long callsBefore = calls(a, "evalsha");
			long announcementsBefore = calls(a, "publish");
			List<CompletableFuture<String>> publications = IntStream.range(0, 2_000)
				.mapToObj((i) -> a.broadcaster().publishAsync("orders", SseItem.of(Integer.toString(i))))
				.toList();
			publications.forEach(CompletableFuture::join);
			assertThat(data(stream, 2_000))
				.containsExactlyElementsOf(IntStream.range(0, 2_000).mapToObj(Integer::toString).toList());
			assertThat(calls(a, "evalsha") - callsBefore).as("script calls for 2,000 publishes").isLessThan(500);
			assertThat(calls(a, "publish") - announcementsBefore).as("announcement messages for 2,000 publishes")
				.isLessThan(500);
		}
	}

	@Test
	void failsOnlyThePublishesToATopicRedisRefusesAndDeliversTheOthersSentWithThem() throws IOException {
		this.redis.command("SET", "sse:topic:broken", "not a stream");
		Instance a = this.instances.start(this.port);
		Instance b = this.instances.start(this.port);
		try (SseTestClient.Stream stream = b.client().open("/topics/orders")) {
			awaitSubscribers(b, 1);
			List<CompletableFuture<String>> toOrders = new ArrayList<>();
			List<CompletableFuture<String>> toBroken = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				toOrders.add(a.broadcaster().publishAsync("orders", SseItem.of(Integer.toString(i))));
				toBroken.add(a.broadcaster().publishAsync("broken", SseItem.of(Integer.toString(i))));
			}
			assertThat(data(stream, 200))
				.containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(Integer::toString).toList());
			toOrders.forEach(CompletableFuture::join);
			for (CompletableFuture<String> publication : toBroken) {
				assertThat(publication).failsWithin(RedisInstances.PATIENCE)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(SseBackplaneException.class)
					.withMessageContaining("topic 'broken'")
					.withMessageContaining("WRONGTYPE");
			}
			assertThat(this.redis.command("TYPE", "sse:topic:broken")).isEqualTo("+string");
		}
	}

	/** How many times Redis ran a command, from a script or not. */
	private static long calls(Instance instance, String command) {
		RedisConnectionFactory connections = instance.context().getBean(RedisConnectionFactory.class);
		try (RedisConnection connection = connections.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			String calls = (stats != null) ? stats.getProperty("cmdstat_" + command) : null;
			if (calls == null) {
				return 0;
			}
			// calls=<n>,usec=...
			return Long.parseLong(calls.substring("calls=".length(), calls.indexOf(',')));
		}
	}

	private static void awaitSubscribers(Instance instance, int count) {
		await().atMost(RedisInstances.PATIENCE)
			.until(() -> instance.broadcaster().subscriberCount("orders") == count);
	}

}
