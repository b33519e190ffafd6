package io.github.ssestarter.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.github.ssestarter.internal.redis.RedisInstances.PATIENCE;
import static io.github.ssestarter.internal.redis.RedisInstances.data;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an instance on the Redis backplane holds, in Redis and in itself, however many topics it
 * serves, and what it does with entries it cannot read. Each test runs on a Redis server of this
 * class's own, emptied before it.
 */
class RedisBackplaneBoundsTests {

	private static RedisServer redis;

	private static int port;

	private final RedisInstances instances = new RedisInstances();

	@BeforeAll
	static void startRedis() throws IOException {
		port = RedisInstances.freePort();
		redis = RedisServer.start(port);
	}

	@AfterAll
	static void stopRedis() throws InterruptedException {
		redis.stop();
	}

	@BeforeEach
	void emptyRedis() throws IOException {
		redis.flushAll();
	}

	@AfterEach
	void stopInstances() {
		this.instances.close();
	}

	@Test
	void holdsTheSameThreadsAndRedisConnectionsForOneTopicAndForFiveThousand() throws Exception {
		Instance instance = this.instances.start(port);
		openAndClose(instance, List.of("first"));
		await().atMost(PATIENCE).until(() -> followedTopics(instance) == 1);
		long threads = backplaneThreads();
		int connections = redisClients(instance);

		openAndClose(instance, IntStream.range(0, 5_000).mapToObj((i) -> "topic-" + i).toList());

		assertThat(followedTopics(instance)).isEqualTo(5_001);
		assertThat(instance.broadcaster().topicNames()).hasSize(5_001);
		// Two readers and the writer; the shared connection, the subscription and the writer's.
		assertThat(backplaneThreads()).isEqualTo(threads).isLessThanOrEqualTo(3);
		assertThat(redisClients(instance)).isEqualTo(connections).isLessThanOrEqualTo(3);
		// Still following: an event published to the last topic reaches a new subscriber.
		try (SseTestClient.Stream stream = instance.client().open("/topics/topic-4999")) {
			String id = instance.broadcaster().publish("topic-4999", "still here");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("still here");
			assertThat(event.lastEventId()).isEqualTo(id);
		}
	}

	@Test
	void setsUpNothingForARefusedStream() throws Exception {
		Instance instance = this.instances.start(port, "--sse.max-connections=1");
		try (SseTestClient.Stream held = instance.client().open("/topics/held")) {
			assertThat(held.status()).isEqualTo(200);
			for (int i = 0; i < 500; i++) {
				try (SseTestClient.Stream refused = instance.client().open("/topics/refused-" + i)) {
					assertThat(refused.status()).isEqualTo(503);
				}
			}
			assertThat(instance.broadcaster().topicNames()).containsExactly("held");
			assertThat(followedTopics(instance)).isEqualTo(1);
		}
	}

	@Test
	void leavesRedisEmptyOnceTenThousandShortLivedTopicsAreIdle() throws Exception {
		// Long enough for every topic to be published to before the first expires, on a busy machine too.
		Instance instance = this.instances.start(port, "--sse.replay.max-age=20s");
		List<String> topics = IntStream.range(0, 10_000).mapToObj((i) -> "short-" + i).toList();
		// Some are followed here, so that their streams are kept alive while they have subscribers.
		openAndClose(instance, topics.subList(0, 100));
		topics.forEach((topic) -> instance.broadcaster().publish(topic, "once"));
		assertThat(dbSize(instance)).isGreaterThanOrEqualTo(10_000);

		await().atMost(Duration.ofSeconds(90)).until(() -> dbSize(instance) == 0);
		await().atMost(PATIENCE).until(() -> followedTopics(instance) == 0);
	}

	@Test
	void resumesTwoThousandClientsAfterARestartFromOneReadOfTheLogAndOneBuffer() throws Exception {
		Instance before = this.instances.start(port);
		List<String> ids = IntStream.range(0, 50).mapToObj((i) -> before.broadcaster().publish("busy", "e" + i)).toList();
		this.instances.close();
		Instance restarted = this.instances.start(port);
		redis(restarted).execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().resetConfigStats();
			return null;
		});

		List<Socket> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 2_000; i++) {
				clients.add(resume(restarted.port(), "/topics/busy", ids.get(i % 50)));
			}
			for (int i = 0; i < clients.size(); i++) {
				int last = i % 50;
				List<String> expected = IntStream.range(last + 1, 50).mapToObj((n) -> "e" + n).toList();
				assertThat(read(clients.get(i), expected.size())).as("client %d", i).isEqualTo(expected);
			}
		}
		finally {
			for (Socket client : clients) {
				client.close();
			}
		}
		// One read of the backlog for the topic, whatever the number of clients (and a few of the follow,
		// which reads after it); one buffer, the ring.
		assertThat(commandCalls(restarted, "xrevrange")).isEqualTo(1);
		assertThat(commandCalls(restarted, "xrange")).isLessThan(10);
		assertThat(restarted.broadcaster().bufferedEventCount("busy")).isEqualTo(50);
	}

	@Test
	void skipsAnEntryThatIsNotAnEventCountsItAndNeverRepeatsWhatCameBefore() throws Exception {
		Instance instance = this.instances.start(port);
		String start = instance.broadcaster().publish("mixed", "0");
		try (SseTestClient.Stream stream = instance.client().open("/topics/mixed")) {
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount("mixed") == 1);
			String first = instance.broadcaster().publish("mixed", "1");
			// Written by other software: a type holding a carriage return cannot be sent.
			addEntry(instance, "mixed", Map.of("prev", first, "type", "bad\rtype", "data", "poison"));
			instance.broadcaster().publish("mixed", "2");
			instance.broadcaster().publish("mixed", "3");
			assertThat(data(stream, 3)).containsExactly("1", "2", "3");
			assertThat(instance.broadcaster().backplaneState()).containsEntry("skippedEntries", 1L);
		}
		// Another instance starting from the log skips it too, and replays the rest.
		Instance other = this.instances.start(port);
		try (SseTestClient.Stream stream = other.client().open("/topics/mixed", "Last-Event-ID", start)) {
			assertThat(data(stream, 3)).containsExactly("1", "2", "3");
		}
	}

	@Test
	void turnsEntriesLostFromTheLogIntoAResetEventForTheSubscribersConcerned() throws Exception {
		Instance instance = this.instances.start(port);
		String before;
		String lost;
		try (SseTestClient.Stream stream = instance.client().open("/topics/holey")) {
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount("holey") == 1);
			before = instance.broadcaster().publish("holey", "1");
			assertThat(next(stream).data()).isEqualTo("1");
			// An entry whose predecessor is gone, as when entries are trimmed before an instance read them.
			RecordId beforeId = RecordId.of(before);
			lost = RecordId.of(beforeId.getTimestamp(), beforeId.getSequence() + 1).getValue();
			String after = RecordId.of(beforeId.getTimestamp(), beforeId.getSequence() + 2).getValue();
			addEntry(instance, "holey", after, Map.of("prev", lost, "data", "2"));
			String three = instance.broadcaster().publish("holey", "3");

			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo("lost");
			assertThat(reset.lastEventId()).isEqualTo(lost);
			assertThat(data(stream, 2)).containsExactly("2", "3");
			assertThat(stream.lastEventId()).isEqualTo(three);
		}
		// Resuming from before the gap, on this instance or on one that starts from the log.
		try (SseTestClient.Stream stream = instance.client().open("/topics/holey", "Last-Event-ID", before)) {
			assertThat(next(stream).eventType()).isEqualTo("reset");
			assertThat(data(stream, 2)).containsExactly("2", "3");
		}
		Instance other = this.instances.start(port);
		try (SseTestClient.Stream stream = other.client().open("/topics/holey", "Last-Event-ID", before)) {
			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo("evicted");
		}
		try (SseTestClient.Stream stream = other.client().open("/topics/holey", "Last-Event-ID", lost)) {
			assertThat(next(stream).data()).isEqualTo("2");
		}
	}

	@Test
	void keepsDeliveringAfterTheApplicationIsStoppedAndStartedAgain() {
		Instance instance = this.instances.start(port);
		try (SseTestClient.Stream stream = instance.client().open("/topics/restarting")) {
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount("restarting") == 1);
			instance.broadcaster().publish("restarting", "before");
			assertThat(next(stream).data()).isEqualTo("before");
		}
		instance.context().stop();
		instance.context().start();
		try (SseTestClient.Stream stream = instance.client().open("/topics/restarting")) {
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount("restarting") == 1);
			instance.broadcaster().publish("restarting", "after");
			assertThat(next(stream).data()).isEqualTo("after");
		}
	}

	@Test
	void staysDownWhileAFollowedTopicCannotBeReadWhateverSucceedsMeanwhile() throws Exception {
		Instance instance = this.instances.start(port);
		try (SseTestClient.Stream stream = instance.client().open("/topics/broken")) {
			await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount("broken") == 1);
			// The topic's key becomes something that is not a stream, and an announcement goes missing,
			// so that every followed topic reads its stream again.
			instance.broadcaster().publish("healthy", "a");
			redis(instance).opsForValue().set("sse:topic:broken", "not a stream");
			redis.command("INCR", "sse:published");
			instance.broadcaster().publish("healthy", "b");
			await().atMost(PATIENCE).until(() -> "DOWN".equals(instance.broadcaster().backplaneState().get("status")));

			// Redis answers and other topics publish: still down, since this one cannot be read.
			instance.broadcaster().publish("healthy", "c");
			assertThat(instance.broadcaster().backplaneState()).containsEntry("status", "DOWN")
				.hasEntrySatisfying("error", (error) -> assertThat((String) error).contains("broken"));

			redis(instance).delete("sse:topic:broken");
			await().atMost(PATIENCE).until(() -> "UP".equals(instance.broadcaster().backplaneState().get("status")));
			String id = instance.broadcaster().publish("broken", "readable again");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("readable again");
			assertThat(event.lastEventId()).isEqualTo(id);
		}
	}

	private static void openAndClose(Instance instance, List<String> topics) throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(16);
		SseTestClient client = instance.client();
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (String topic : topics) {
				statuses.add(clients.submit(() -> {
					try (SseTestClient.Stream stream = client.open("/topics/" + topic)) {
						return stream.status();
					}
				}));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	/** Sends a request that resumes a stream, over HTTP/1.0 so that the body comes unchunked. */
	private static Socket resume(int port, String path, String lastEventId) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout((int) PATIENCE.toMillis());
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nLast-Event-ID: "
				+ lastEventId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private static List<String> read(Socket socket, int count) throws IOException {
		InputStream in = socket.getInputStream();
		SseTestClient.skipResponseHead(in);
		SseEventReader reader = new SseEventReader(in);
		List<String> data = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			data.add(reader.next().data());
		}
		return data;
	}

	private static void addEntry(Instance instance, String topic, Map<String, String> fields) {
		addEntry(instance, topic, null, fields);
	}

	private static void addEntry(Instance instance, String topic, String id, Map<String, String> fields) {
		var record = StreamRecords.newRecord().in("sse:topic:" + topic).ofMap(fields);
		redis(instance).opsForStream().add((id != null) ? record.withId(RecordId.of(id)) : record);
	}

	private static long backplaneThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("sse-redis-")).count();
	}

	private static int redisClients(Instance instance) {
		return redis(instance).execute((RedisCallback<Integer>) (connection) -> connection.serverCommands()
			.getClientList().size());
	}

	private static long dbSize(Instance instance) {
		return redis(instance).execute((RedisCallback<Long>) (connection) -> connection.serverCommands().dbSize());
	}

	private static long commandCalls(Instance instance, String command) {
		Properties stats = redis(instance).execute((RedisCallback<Properties>) (connection) -> connection
			.serverCommands().info("commandstats"));
		String line = stats.getProperty("cmdstat_" + command);
		if (line == null) {
			return 0;
		}
		// calls=N,usec=...
		return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
	}

	private static int followedTopics(Instance instance) {
		Map<String, Object> state = instance.broadcaster().backplaneState();
		return (Integer) state.get("followedTopics");
	}

	private static StringRedisTemplate redis(Instance instance) {
		return instance.context().getBean(StringRedisTemplate.class);
	}

}
