package io.github.ssestarter.internal.actuate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Meters and the {@code sse} endpoint, watched over real HTTP while clients come and go.
 */
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat=200ms", "sse.subscriber.queue-capacity=16",
				"management.endpoints.web.exposure.include=sse,metrics,health" })
class ObservabilityIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final String ENDPOINT = "/topics/{topic}";

	/** Used only by the test that counts how streams end, which other tests' clients leaving would disturb. */
	private static final String COUNTED_ENDPOINT = "/counted/{topic}";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	private final List<AutoCloseable> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@AfterEach
	void closeClients() throws Exception {
		for (AutoCloseable client : this.clients) {
			client.close();
		}
	}

	@Test
	void countsOpenStreamsByEndpointAndTopicAndHowTheyEnded() {
		List<SseTestClient.Stream> streams = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			streams.add(open("/counted/counted"));
		}
		await().atMost(PATIENCE).until(() -> gauge(COUNTED_ENDPOINT, "counted") == 3);
		assertThat(counter("sse.connections", "endpoint", COUNTED_ENDPOINT, "outcome", "client-closed")).isZero();

		streams.get(0).close();

		await().atMost(PATIENCE).until(() -> gauge(COUNTED_ENDPOINT, "counted") == 2);
		await().atMost(PATIENCE)
			.until(() -> counter("sse.connections", "endpoint", COUNTED_ENDPOINT, "outcome", "client-closed") == 1);
		assertThat(this.registry.find("sse.connections").tag("endpoint", COUNTED_ENDPOINT).counters())
			.as("no stream ended otherwise")
			.hasSize(1);
	}

	@Test
	void countsOneDeliveryPerSubscriberAndTimesIt() {
		List<SseTestClient.Stream> streams = open("delivered", 3);
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("delivered") == 3);

		this.broadcaster.publish("delivered", "hello");

		for (SseTestClient.Stream stream : streams) {
			assertThat(stream.next().data()).isEqualTo("hello");
		}
		await().atMost(PATIENCE).until(() -> counter("sse.events.delivered", "topic", "delivered") == 3);
		assertThat(counter("sse.events.published", "topic", "delivered")).isEqualTo(1);
		// A delivery's count and its time are recorded one after the other.
		await().atMost(PATIENCE).until(() -> latencyCount("delivered") == 3);
	}

	@Test
	void countsAnOverflowAndTheEventsTheSlowClientMissed() throws IOException {
		double overflowsBefore = connections("overflow");
		try (Socket slow = new Socket()) {
			slow.setReceiveBufferSize(1024);
			slow.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream out = slow.getOutputStream();
			out.write("GET /topics/overflowing HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("overflowing") == 1);
			String payload = "x".repeat(16 * 1024);
			for (int i = 0; i < 400 && connections("overflow") == overflowsBefore; i++) {
				this.broadcaster.publish("overflowing", payload);
			}
			await().atMost(PATIENCE).until(() -> connections("overflow") == overflowsBefore + 1);
			assertThat(this.registry.find("sse.events.dropped")
				.tags("topic", "overflowing", "reason", "overflow")
				.counter()).isNotNull().extracting(Counter::count).matches((count) -> count > 0);
		}
	}

	@Test
	void countsReplaysThatRecoverAndThatReset() {
		String first = this.broadcaster.publish("resumed", "one");
		this.broadcaster.publish("resumed", "two");

		SseTestClient.Stream recovered = open("/topics/resumed", "Last-Event-ID", first);
		assertThat(recovered.next().data()).isEqualTo("two");
		SseTestClient.Stream reset = open("/topics/resumed", "Last-Event-ID", "garbage");
		assertThat(reset.next().eventType()).isEqualTo("reset");

		assertThat(counter("sse.replay", "topic", "resumed", "outcome", "recovered")).isEqualTo(1);
		assertThat(counter("sse.replay", "topic", "resumed", "outcome", "reset")).isEqualTo(1);
		assertThat(counter("sse.events.replayed", "topic", "resumed")).isEqualTo(1);
	}

	@Test
	void metricsEndpointShowsOpenStreams() throws Exception {
		open("watched", 2);
		await().atMost(PATIENCE).until(() -> active("watched") == 2);

		JsonNode metric = get("/actuator/metrics/sse.connections.active?tag=topic:watched");

		assertThat(metric.get("name").asString()).isEqualTo("sse.connections.active");
		assertThat(metric.get("measurements").get(0).get("value").asDouble()).isEqualTo(2.0);
		assertThat(metric.get("availableTags").toString()).contains("endpoint").contains(ENDPOINT);
	}

	@Test
	void sseEndpointShowsTopicsAndEndpoints() throws Exception {
		open("described", 2);
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("described") == 2);
		this.broadcaster.publish("described", "one");
		String newest = this.broadcaster.publish("described", "two");
		await().atMost(PATIENCE).until(() -> this.broadcaster.snapshot("described").delivered() == 4);

		JsonNode sse = get("/actuator/sse");

		assertThat(sse.get("openConnections").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(sse.get("topicCount").asInt()).isGreaterThanOrEqualTo(1);
		assertThat(sse.get("endpoints").get(ENDPOINT).asInt()).isGreaterThanOrEqualTo(2);
		JsonNode topic = sse.get("topics").get("described");
		assertThat(topic.get("subscribers").asInt()).isEqualTo(2);
		assertThat(topic.get("bufferedEvents").asInt()).isEqualTo(2);
		assertThat(topic.get("newestId").asString()).isEqualTo(newest);
		assertThat(topic.get("oldestId").asString()).isNotEqualTo(newest);
		assertThat(topic.get("published").asLong()).isEqualTo(2);
		assertThat(topic.get("delivered").asLong()).isEqualTo(4);
		assertThat(topic.get("dropped").asLong()).isZero();
	}

	@Test
	void deletingATopicClosesItsStreamsAndTheClientsResumeLosingNothing() throws Exception {
		List<SseTestClient.Stream> streams = open("rebalanced", 2);
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("rebalanced") == 2);
		this.broadcaster.publish("rebalanced", "before");
		for (SseTestClient.Stream stream : streams) {
			assertThat(stream.next().data()).isEqualTo("before");
		}
		double completedBefore = connections("completed");

		HttpResponse<String> deleted = this.http.send(
				HttpRequest.newBuilder(uri("/actuator/sse/rebalanced")).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(deleted.body()).get("closedConnections").asInt()).isEqualTo(2);
		List<String> lastIds = new ArrayList<>();
		for (SseTestClient.Stream stream : streams) {
			assertThat(stream.next()).as("the stream ends").isNull();
			lastIds.add(stream.lastEventId());
		}
		await().atMost(PATIENCE).until(() -> connections("completed") == completedBefore + 2);
		this.broadcaster.publish("rebalanced", "while away");
		for (String lastId : lastIds) {
			SseEvent missed = open("/topics/rebalanced", "Last-Event-ID", lastId).next();
			assertThat(missed.data()).isEqualTo("while away");
		}
	}

	@Test
	void deletingATopicWhoseNameHoldsASlashClosesItsStreams() throws Exception {
		try (SseTestClient.Stream stream = open("/rooms/red")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("rooms/red") == 1);
			HttpResponse<String> deleted = this.http.send(
					HttpRequest.newBuilder(uri("/actuator/sse/rooms/red")).DELETE().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(deleted.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(deleted.body()).get("topic").asString()).isEqualTo("rooms/red");
			assertThat(this.json.readTree(deleted.body()).get("closedConnections").asInt()).isEqualTo(1);
			assertThat(assertTimeoutPreemptively(PATIENCE, stream::next)).as("the stream ends").isNull();
		}
	}

	private List<SseTestClient.Stream> open(String topic, int count) {
		List<SseTestClient.Stream> streams = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			streams.add(open("/topics/" + topic));
		}
		return streams;
	}

	private SseTestClient.Stream open(String path, String... headers) {
		SseTestClient.Stream stream = new SseTestClient(this.port).open(path, headers);
		this.clients.add(stream);
		assertThat(stream.status()).isEqualTo(200);
		return stream;
	}

	private double active(String topic) {
		return gauge(ENDPOINT, topic);
	}

	private double gauge(String endpoint, String topic) {
		Gauge gauge = this.registry.find("sse.connections.active").tags("endpoint", endpoint, "topic", topic).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private double connections(String outcome) {
		return counter("sse.connections", "endpoint", ENDPOINT, "outcome", outcome);
	}

	private double counter(String name, String... tags) {
		Counter counter = this.registry.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private long latencyCount(String topic) {
		Timer latency = this.registry.find("sse.delivery.latency").tag("topic", topic).timer();
		return (latency != null) ? latency.count() : 0;
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
