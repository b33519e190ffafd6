package io.github.ssestarter.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The sample with {@code --spring.profiles.active=redis}, over real HTTP: two instances share one
 * throwaway {@code redis-server}. An order placed through one instance reaches streams open on
 * either; a client that got an id from one instance resumes on the other with no gap and no
 * duplicate; an answer asked on one instance resumes on the other, generated once; while Redis
 * is away, publishing is answered {@code 503} with problem details and {@code Retry-After}. Without the profile, the sample neither connects to Redis nor checks it.
 *
 * <p>Needs {@code redis-server} ({@code .ci/run} installs it), which is started on a free port
 * of its own, keeping nothing on disk: the Redis on 6379 is never used. Without it the tests fail
 * when the {@code CI} environment variable is set, and are skipped otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisProfileTests {

	private static final String ORDER = "{\"customer\": \"Ada\", \"amount\": 12.5}";

	private static RedisServer redis;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	private static SampleClient a;

	private static SampleClient b;

	@BeforeAll
	static void startRedisAndTwoInstances() throws IOException {
		requireRedisServer();
		redis = RedisServer.start(freePort());
		instanceA = start("--spring.profiles.active=redis", "--spring.data.redis.port=" + redis.port());
		instanceB = start("--spring.profiles.active=redis", "--spring.data.redis.port=" + redis.port());
		a = client(instanceA);
		b = client(instanceB);
	}

	@AfterAll
	static void stopAll() {
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { instanceA, instanceB }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (redis != null) {
			redis.stop();
		}
	}

	@Test
	@Order(1)
	void bothInstancesAreHealthyOnRedis() {
		for (SampleClient instance : new SampleClient[] { a, b }) {
			HttpResponse<String> health = instance.get("/actuator/health");
			assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
			assertThat(instance.json(health).get("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	@Order(2)
	void orderPlacedThroughOneInstanceReachesStreamsOnBoth() {
		try (EventStream onA = a.stream("/api/orders/stream"); EventStream onB = b.stream("/api/orders/stream")) {
			assertThat(onA.status()).isEqualTo(200);
			assertThat(onB.status()).isEqualTo(200);

			String throughA = place(a, "Placed on A");
			SseEvent received = onB.next();
			assertThat(received.eventType()).isEqualTo("order");
			assertThat(received.lastEventId()).isEqualTo(throughA);
			assertThat(b.json(received).get("customer").asString()).isEqualTo("Placed on A");
			assertThat(onA.next().lastEventId()).isEqualTo(throughA);

			// And the other way round: both streams get both orders, in the same order, with the same ids.
			String throughB = place(b, "Placed on B");
			assertThat(onA.next().lastEventId()).isEqualTo(throughB);
			assertThat(onB.next().lastEventId()).isEqualTo(throughB);
		}
	}

	@Test
	@Order(3)
	void clientResumesOnTheOtherInstanceWithTheIdItGotFromTheFirstWithNoGap() {
		// The logs topic, which instance B has not served yet: what the client missed comes from Redis.
		String seen;
		try (EventStream onA = a.stream("/api/logs/stream")) {
			assertThat(onA.status()).isEqualTo(200);
			String first = log(a, "seen on A");
			SseEvent event = onA.next();
			assertThat(event.data()).isEqualTo("seen on A");
			assertThat(event.lastEventId()).isEqualTo(first);
			seen = event.lastEventId();
		}
		// While the client is away, lines are posted through both instances.
		String missedOnA = log(a, "missed, posted on A");
		String missedOnB = log(b, "missed, posted on B");

		try (EventStream onB = b.stream("/api/logs/stream", "Last-Event-ID", seen)) {
			assertThat(onB.status()).isEqualTo(200);
			SseEvent first = onB.next();
			assertThat(first.eventType()).isEqualTo("log");
			assertThat(first.lastEventId()).isEqualTo(missedOnA);
			assertThat(first.data()).isEqualTo("missed, posted on A");
			SseEvent second = onB.next();
			assertThat(second.lastEventId()).isEqualTo(missedOnB);
			assertThat(second.data()).isEqualTo("missed, posted on B");
			// Then live, with nothing in between.
			String live = log(a, "live, posted on A");
			SseEvent third = onB.next();
			assertThat(third.lastEventId()).isEqualTo(live);
			assertThat(third.data()).isEqualTo("live, posted on A");
		}
	}

	@Test
	@Order(4)
	void answerAskedOnOneInstanceResumesOnTheOtherWithoutBeingGeneratedAgain() {
		String question = "/api/answers/stream?q=Across+instances";
		int tokens = 40 + "Across instances".length() % 20;
		AnswerGenerator onA = instanceA.getBean(AnswerGenerator.class);
		AnswerGenerator onB = instanceB.getBean(AnswerGenerator.class);
		long startedOnA = onA.started();
		long startedOnB = onB.started();
		List<Integer> indexes = new ArrayList<>();
		String lastId;
		try (EventStream stream = a.stream(question)) {
			SseEvent token = null;
			for (int i = 0; i < 3; i++) {
				token = stream.next();
				indexes.add(a.json(token).get("index").asInt());
			}
			lastId = token.lastEventId();
		}
		try (EventStream stream = b.stream(question, "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(200);
			for (SseEvent event = stream.next(); event != null; event = stream.next()) {
				if (event.eventType().equals("done")) {
					assertThat(b.json(event).get("tokens").asInt()).isEqualTo(tokens);
				}
				else {
					indexes.add(b.json(event).get("index").asInt());
				}
				lastId = event.lastEventId();
			}
		}
		assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, tokens).boxed().toList());
		assertThat(onA.started()).as("answers generated on A").isEqualTo(startedOnA + 1);
		assertThat(onB.started()).as("answers generated on B").isEqualTo(startedOnB);
		try (EventStream stream = b.stream(question, "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(204);
		}
	}

	@Test
	@Order(5)
	void withoutTheProfileTheSampleNeitherConnectsToRedisNorChecksIt() throws IOException {
		// Something listening where the sample would look for Redis, which accepts but never answers.
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			listener.configureBlocking(false);
			int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
			try (ConfigurableApplicationContext inMemory = start("--spring.data.redis.port=" + port)) {
				SampleClient client = client(inMemory);
				assertThat(client.postJson("/api/orders", ORDER).statusCode()).isEqualTo(202);
				HttpResponse<String> health = client.get("/actuator/health");
				assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
				assertThat(client.json(health).get("status").asString()).isEqualTo("UP");
			}
			assertThat(listener.accept()).as("a connection to the Redis port").isNull();
		}
	}

	/** Last: it stops Redis, then starts it again, empty. */
	@Test
	@Order(6)
	void whileRedisIsAwayPublishingIsAnswered503WithProblemDetailsAndRetryAfter() throws IOException {
		redis.stop();

		HttpResponse<String> order = a.postJson("/api/orders", ORDER);
		assertServiceUnavailable(a, order, "/api/orders");
		HttpResponse<String> line = b.post("/api/logs", "text/plain", "not published");
		assertServiceUnavailable(b, line, "/api/logs");
		HttpResponse<String> health = a.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(a.json(health).get("status").asString()).isEqualTo("DOWN");

		// Nothing but Redis was missing: once it is back, publishing works again.
		redis = RedisServer.start(redis.port());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(a.postJson("/api/orders", ORDER).statusCode()).isEqualTo(202));
	}

	private static void assertServiceUnavailable(SampleClient client, HttpResponse<String> response, String path) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		JsonNode problem = client.json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("title").asString()).isEqualTo("Service Unavailable");
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(problem.get("instance").asString()).isEqualTo(path);
	}

	private static String place(SampleClient client, String customer) {
		HttpResponse<String> response = client.postJson("/api/orders",
				"{\"customer\": \"" + customer + "\", \"amount\": 12.5}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return client.json(response).get("id").asString();
	}

	private static String log(SampleClient client, String text) {
		HttpResponse<String> response = client.post("/api/logs", "text/plain", text);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return client.json(response).get("id").asString();
	}

	/** The sample on a random port, with the given arguments, as {@code java -jar} would run it. */
	private static ConfigurableApplicationContext start(String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--server.port=0";
		System.arraycopy(args, 0, all, 1, args.length);
		// Closed by the tests themselves, not at the JVM's exit.
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class)
			.registerShutdownHook(false)
			.run(all);
	}

	private static SampleClient client(ConfigurableApplicationContext instance) {
		int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return new SampleClient(port, instance.getBean(JsonMapper.class));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void requireRedisServer() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "redis-server"))) {
					return;
				}
			}
		}
		String message = "redis-server is not installed: apt-get install redis-server";
		String ci = System.getenv("CI");
		if (ci != null && !ci.isBlank()) {
			fail(message);
		}
		abort(message + " (skipped; it fails when CI is set)");
	}

	/**
	 * A throwaway {@code redis-server} on 127.0.0.1 and a port of its own, keeping nothing on disk;
	 * its output goes to {@code target/redis-server-<port>.log}.
	 */
	private static final class RedisServer {

		private static final Duration STARTUP = Duration.ofSeconds(10);

		private final Process process;

		private final int port;

		private RedisServer(Process process, int port) {
			this.process = process;
			this.port = port;
		}

		static RedisServer start(int port) throws IOException {
			File log = Path.of("target", "redis-server-" + port + ".log").toFile();
			Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
				.start();
			RedisServer server = new RedisServer(process, port);
			await().atMost(STARTUP).until(() -> !process.isAlive() || server.answersPing());
			if (!process.isAlive()) {
				fail("redis-server exited with " + process.exitValue() + "; see " + log);
			}
			return server;
		}

		int port() {
			return this.port;
		}

		void stop() {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}

		private boolean answersPing() {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				socket.setSoTimeout(1000);
				socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				byte[] answer = socket.getInputStream().readNBytes(7);
				return "+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

}
