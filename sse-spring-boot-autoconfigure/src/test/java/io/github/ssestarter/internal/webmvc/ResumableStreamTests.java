package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.internal.webmvc.ResumableTestApplication.Probe;
import io.github.ssestarter.wire.SseEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Resumable endpoints over real HTTP: the method runs once per stream, a client that comes back
 * with its last event id continues where it left off, and streams nobody comes back to are
 * cancelled.
 */
@SpringBootTest(classes = ResumableTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=sse", "sse.heartbeat=200ms" })
class ResumableStreamTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Probe probe;

	@Autowired
	MeterRegistry meters;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.probe.reset();
		this.client = new SseTestClient(this.port);
	}

	@Test
	void givesEachEventAnIdNamingTheStreamAndItsPosition() {
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=3")) {
			assertThat(stream.status()).isEqualTo(200);
			List<SseEvent> events = stream.readAll(PATIENCE);
			assertThat(events).extracting(SseEvent::data).containsExactly("0", "1", "2");
			assertThat(events).extracting(SseEvent::eventType).containsOnly("number");
			String key = events.get(0).lastEventId().substring(0, events.get(0).lastEventId().lastIndexOf('-'));
			assertThat(events).extracting(SseEvent::lastEventId).containsExactly(key + "-1", key + "-2", key + "-3");
			// 128 random bits in base 36 take 25 digits, rarely fewer.
			assertThat(key).hasSizeGreaterThanOrEqualTo(20).matches("[0-9a-z]+");
		}
	}

	@Test
	void tellsAClientItsFirstIdBeforeAnyEvent() {
		this.probe.queue("first").add("a");
		try (SseTestClient.Stream stream = this.client.open("/queued/first")) {
			assertThat(next(stream).data()).isEqualTo("a");
			String key = stream.lastEventId().substring(0, stream.lastEventId().lastIndexOf('-'));
			assertThat(stream.lastEventId()).isEqualTo(key + "-1");
		}
		try (SseTestClient.Stream stream = this.client.open("/queued/none")) {
			// Only the id-only event has arrived: a client that drops now still resumes exactly.
			await().atMost(PATIENCE).until(() -> this.probe.started.get() == 2);
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	@Test
	void continuesAfterTheLastEventIdWithoutCallingTheMethodAgain() {
		String lastId;
		List<String> data = new ArrayList<>();
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=30")) {
			SseEvent event = null;
			for (int i = 0; i < 5; i++) {
				event = next(stream);
				data.add(event.data());
			}
			// The event's own id: one read may have brought more events than were returned.
			lastId = event.lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=30", "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(200);
			stream.readAll(PATIENCE).forEach((event) -> data.add(event.data()));
		}
		assertThat(data).containsExactlyElementsOf(numbers(30));
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void resumesWithTheLastEventIdQueryParameter() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=10")) {
			next(stream);
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=10&lastEventId=" + lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactlyElementsOf(numbers(10).subList(2, 10));
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void keepsTheSourceRunningWhileTheClientIsAway() {
		String lastId;
		double detached = count("sse.streams.detached", "/queued/{name}");
		try (SseTestClient.Stream stream = this.client.open("/queued/away")) {
			this.probe.queue("away").add("before");
			assertThat(next(stream).data()).isEqualTo("before");
			lastId = stream.lastEventId();
		}
		await().atMost(PATIENCE).until(() -> count("sse.streams.detached", "/queued/{name}") > detached);
		this.probe.queue("away").add("while away");
		this.probe.queue("away").add("end");
		try (SseTestClient.Stream stream = this.client.open("/queued/away", "Last-Event-ID", lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("while away");
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void answersNoContentToAClientThatHasTheLastEventOfAFinishedStream() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=3")) {
			stream.readAll(PATIENCE);
			lastId = stream.lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=3", "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(204);
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void givesAClientThatLeftBeforeTheEndTheRestThenTheEnd() {
		String lastId;
		double detached = count("sse.streams.detached", "/numbers");
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=5")) {
			lastId = next(stream).lastEventId();
		}
		// The source finishes while nobody is connected.
		await().atMost(PATIENCE).until(() -> count("sse.streams.detached", "/numbers") > detached);
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=5", "Last-Event-ID", lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("1", "2", "3", "4");
			lastId = stream.lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=5", "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(204);
		}
	}

	@Test
	void neverResumesAnotherUsersStream() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=20", TestUserFilter.HEADER, "alice")) {
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream bob = this.client.open("/numbers?count=2", TestUserFilter.HEADER, "bob", "Last-Event-ID", lastId)) {
			List<SseEvent> events = bob.readAll(PATIENCE);
			assertThat(events).extracting(SseEvent::data).containsExactly("0", "1");
			assertThat(events).allSatisfy((event) -> assertThat(event.lastEventId()).doesNotStartWith(keyOf(lastId)));
		}
		try (SseTestClient.Stream anonymous = this.client.open("/numbers?count=2", "Last-Event-ID", lastId)) {
			assertThat(anonymous.readAll(PATIENCE)).extracting(SseEvent::lastEventId)
				.allSatisfy((id) -> assertThat(id).doesNotStartWith(keyOf(lastId)));
		}
		// A fresh stream binds the id it was sent, as a method without a resume window would.
		assertThat(this.probe.lastEventIdSeen).isEqualTo(lastId);
		assertThat(this.probe.started).hasValue(3);
		try (SseTestClient.Stream alice = this.client.open("/numbers?count=20", TestUserFilter.HEADER, "alice", "Last-Event-ID",
				lastId)) {
			assertThat(next(alice).data()).isEqualTo("1");
		}
		assertThat(this.probe.started).hasValue(3);
	}

	@Test
	void letsAnyoneWithItsIdResumeAnAnonymousStream() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=20")) {
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=20", TestUserFilter.HEADER, "carol", "Last-Event-ID",
				lastId)) {
			assertThat(next(stream).data()).isEqualTo("1");
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void resumesOnlyOnTheSamePath() {
		this.probe.queue("one").add("a");
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/queued/one")) {
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/queued/two", "Last-Event-ID", lastId)) {
			await().atMost(PATIENCE).until(() -> this.probe.started.get() == 2);
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	@Test
	void resumesOnlyWithTheSameParameters() {
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=20")) {
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=2", "Last-Event-ID", lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("0", "1");
		}
		assertThat(this.probe.started).hasValue(2);
	}

	@Test
	void disconnectsTheOlderConnectionWhenAClientResumes() {
		try (SseTestClient.Stream first = this.client.open("/queued/takeover")) {
			this.probe.queue("takeover").add("a");
			next(first);
			try (SseTestClient.Stream second = this.client.open("/queued/takeover", "Last-Event-ID",
					first.lastEventId())) {
				assertThat(second.status()).isEqualTo(200);
				assertThat(assertTimeoutPreemptively(PATIENCE, first::next)).isNull();
				this.probe.queue("takeover").add("b");
				assertThat(next(second).data()).isEqualTo("b");
			}
		}
		assertThat(this.probe.started).hasValue(1);
	}

	@Test
	void cancelsTheSourceOfAStreamNobodyResumesWithinItsWindow() {
		double expired = count("sse.streams.expired", "/queued/{name}");
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/queued/expiring")) {
			this.probe.queue("expiring").add("a");
			lastId = next(stream).lastEventId();
		}
		await().atMost(PATIENCE).until(() -> this.probe.closed.contains("expiring"));
		// Counted once the source is cancelled.
		await().atMost(PATIENCE).until(() -> count("sse.streams.expired", "/queued/{name}") > expired);
		// Gone: the method is called afresh.
		try (SseTestClient.Stream stream = this.client.open("/queued/expiring", "Last-Event-ID", lastId)) {
			await().atMost(PATIENCE).until(() -> this.probe.started.get() == 2);
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	@Test
	void countsStreamsDetachedAndResumed() {
		double resumed = count("sse.streams.resumed");
		double detached = count("sse.streams.detached");
		String lastId;
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=50")) {
			lastId = next(stream).lastEventId();
		}
		await().atMost(PATIENCE).until(() -> count("sse.streams.detached") > detached);
		try (SseTestClient.Stream stream = this.client.open("/numbers?count=50", "Last-Event-ID", lastId)) {
			next(stream);
		}
		// Counted once the stream is open again, which may be after its first event went out.
		await().atMost(PATIENCE).until(() -> count("sse.streams.resumed") == resumed + 1);
	}

	@Test
	void drainingTheInstanceEndsEveryStreamAndClientsResume() throws Exception {
		try (SseTestClient.Stream stream = this.client.open("/queued/drained")) {
			this.probe.queue("drained").add("a");
			next(stream);
			HttpResponse<String> drained = delete("/actuator/sse");
			assertThat(drained.statusCode()).isEqualTo(200);
			assertThat(drained.body()).containsPattern("\"closedConnections\":[1-9]");
			assertThat(assertTimeoutPreemptively(PATIENCE, stream::next)).isNull();
			this.probe.queue("drained").add("b");
			try (SseTestClient.Stream resumed = this.client.open("/queued/drained", "Last-Event-ID",
					stream.lastEventId())) {
				assertThat(next(resumed).data()).isEqualTo("b");
			}
		}
		assertThat(this.probe.started).hasValue(1);
	}

	private double count(String name) {
		return count(name, "/numbers");
	}

	private double count(String name, String endpoint) {
		var counter = this.meters.find(name).tag("endpoint", endpoint).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private HttpResponse<String> delete(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).DELETE().build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String keyOf(String id) {
		return id.substring(0, id.lastIndexOf('-') + 1);
	}

	private static List<String> numbers(int count) {
		List<String> numbers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			numbers.add(Integer.toString(i));
		}
		return numbers;
	}

	static SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).as("next event").isNotNull();
		return event;
	}


}
