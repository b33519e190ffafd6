package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
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
 * Topics over real HTTP: replay with no gap and no duplicate, reset events, per-user delivery and
 * concurrent publishers. Subscribers may lag 2000 events here, so that bursts from the publishing
 * threads never trip the overflow policy, which has tests of its own.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat=300ms", "sse.subscriber.queue-capacity=2000" })
class BroadcastIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.client = new SseTestClient(this.port);
	}

	@Test
	void givesAClientWithoutIdTheTopicsNewestIdFirst() {
		String last = this.broadcaster.publish("newest", "before");
		try (SseTestClient.Stream stream = this.client.open("/topics/newest")) {
			awaitSubscribers("newest", 1);
			String next = this.broadcaster.publish("newest", "after");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("after");
			assertThat(event.lastEventId()).isEqualTo(next);
		}
		// The id-only event alone lets a client that drops before any event resume exactly.
		try (SseTestClient.Stream stream = this.client.open("/topics/newest")) {
			awaitSubscribers("newest", 1);
			try (SseTestClient.Stream resumed = this.client.open("/topics/newest", "Last-Event-ID", last)) {
				assertThat(next(resumed).data()).isEqualTo("after");
			}
		}
	}

	@Test
	void deliversWhatIsPublishedAsSoonAsTheClientSeesTheStreamOpen() {
		for (int i = 0; i < 20; i++) {
			try (SseTestClient.Stream stream = this.client.open("/topics/opening")) {
				// The response head has arrived: the client is subscribed from here on.
				String id = this.broadcaster.publish("opening", "right away " + i);
				SseEvent event = next(stream);
				assertThat(event.data()).isEqualTo("right away " + i);
				assertThat(event.lastEventId()).isEqualTo(id);
			}
		}
	}

	@Test
	void replaysMissedEventsWithNoGapAndNoDuplicateWhilePublishingGoesOn() throws Exception {
		AtomicBoolean publishing = new AtomicBoolean(true);
		CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 60_000 && publishing.get(); i++) {
				this.broadcaster.publish("ticks", Integer.toString(i));
				pause();
			}
		});
		List<Long> received = new ArrayList<>();
		String lastId = null;
		int connections = 0;
		while (received.size() < 900) {
			String[] headers = (lastId != null) ? new String[] { "Last-Event-ID", lastId } : new String[0];
			connections++;
			// Each connection reads 150 events and leaves, as a flaky network would make a browser do;
			// one the server closes first (it fell behind) is resumed the same way.
			try (SseTestClient.Stream stream = this.client.open("/topics/ticks", headers)) {
				for (int i = 0; i < 150 && received.size() < 900; i++) {
					SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
					if (event == null) {
						break;
					}
					assertThat(event.eventType()).isEqualTo("message");
					received.add(sequenceOf(event.lastEventId()));
					lastId = event.lastEventId();
				}
			}
		}
		publishing.set(false);
		publisher.get();
		assertThat(connections).isGreaterThanOrEqualTo(6);
		long first = received.get(0);
		assertThat(received).containsExactlyElementsOf(
				IntStream.range(0, 900).mapToObj((i) -> first + i).collect(Collectors.toList()));
	}

	@Test
	void sendsAResetEventForAnIdOlderThanTheBuffer() {
		String oldest = this.broadcaster.publish("evicting", "0");
		// The buffer holds 1000 events: 1001 after the client's id cannot all be replayed.
		for (int i = 1; i <= 1001; i++) {
			this.broadcaster.publish("evicting", Integer.toString(i));
		}
		assertResetThenLive("evicting", oldest, "evicted");
	}

	@Test
	void sendsAResetEventForAGarbageId() {
		this.broadcaster.publish("garbage", "0");
		assertResetThenLive("garbage", "not-an-id", "unknown-id");
	}

	@Test
	void sendsAResetEventForAnIdFromAnotherEpoch() {
		this.broadcaster.publish("epochs", "0");
		assertResetThenLive("epochs", "zz9zz-1", "other-epoch");
	}

	@Test
	void sendsAResetEventForAnIdAheadOfTheTopic() {
		String id = this.broadcaster.publish("ahead", "0");
		String epoch = id.substring(0, id.lastIndexOf('-'));
		assertResetThenLive("ahead", epoch + "-99999", "unknown-id");
	}

	@Test
	void deliversAddressedEventsOnlyToTheirUserLiveAndInReplay() {
		String start = this.broadcaster.publish("notes", "start");
		try (SseTestClient.Stream alice1 = this.client.open("/topics/notes", "X-Test-User", "alice");
				SseTestClient.Stream alice2 = this.client.open("/topics/notes", "X-Test-User", "alice");
				SseTestClient.Stream bob = this.client.open("/topics/notes", "X-Test-User", "bob");
				SseTestClient.Stream anonymous = this.client.open("/topics/notes")) {
			awaitSubscribers("notes", 4);
			this.broadcaster.publishToUser("notes", "alice", SseItem.of("for alice"));
			this.broadcaster.publishToUser("notes", "bob", SseItem.of("for bob"));
			this.broadcaster.publishToUsers("notes", List.of("alice", "bob"), SseItem.of("for both"));
			this.broadcaster.publish("notes", "for everyone");

			assertThat(data(alice1, 3)).containsExactly("for alice", "for both", "for everyone");
			assertThat(data(alice2, 3)).containsExactly("for alice", "for both", "for everyone");
			assertThat(data(bob, 3)).containsExactly("for bob", "for both", "for everyone");
			assertThat(data(anonymous, 1)).containsExactly("for everyone");
		}
		try (SseTestClient.Stream alice = this.client.open("/topics/notes", "X-Test-User", "alice", "Last-Event-ID", start);
				SseTestClient.Stream bob = this.client.open("/topics/notes", "X-Test-User", "bob", "Last-Event-ID", start);
				SseTestClient.Stream anonymous = this.client.open("/topics/notes", "Last-Event-ID", start)) {
			assertThat(data(alice, 3)).containsExactly("for alice", "for both", "for everyone");
			assertThat(data(bob, 3)).containsExactly("for bob", "for both", "for everyone");
			assertThat(data(anonymous, 1)).containsExactly("for everyone");
		}
	}

	@Test
	void appliesTheSubscriptionsFilterLiveAndInReplay() {
		String start = this.broadcaster.publish("numbers", "0");
		IntStream.rangeClosed(1, 4).forEach((i) -> this.broadcaster.publish("numbers", Integer.toString(i)));
		try (SseTestClient.Stream stream = this.client.open("/topics/numbers/even", "Last-Event-ID", start)) {
			this.broadcaster.publish("numbers", "5");
			this.broadcaster.publish("numbers", "6");
			assertThat(data(stream, 3)).containsExactly("2", "4", "6");
		}
	}

	@Test
	void leavesOutTheEventsAFilterFailsOnAndKeepsTheStream() {
		try (SseTestClient.Stream stream = this.client.open("/topics/filtering/broken-filter")) {
			awaitSubscribers("filtering", 1);
			this.broadcaster.publish("filtering", "bad");
			String good = this.broadcaster.publish("filtering", "good");
			SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
			assertThat(event).isEqualTo(new SseEvent("message", "good", good));
			assertThat(this.broadcaster.subscriberCount("filtering")).isEqualTo(1);
		}
	}

	@Test
	void deliversEveryEventOnceInIdOrderFromManyPublisherThreads() throws Exception {
		List<SseTestClient.Stream> streams = List.of(this.client.open("/topics/busy"), this.client.open("/topics/busy"),
				this.client.open("/topics/busy"));
		try {
			awaitSubscribers("busy", 3);
			ExecutorService publishers = Executors.newFixedThreadPool(4);
			List<Future<?>> done = new ArrayList<>();
			for (int p = 0; p < 4; p++) {
				int publisherNumber = p;
				done.add(publishers.submit(() -> IntStream.range(0, 250)
					.forEach((i) -> this.broadcaster.publish("busy", publisherNumber + ":" + i))));
			}
			for (Future<?> future : done) {
				future.get();
			}
			publishers.shutdown();
			for (SseTestClient.Stream stream : streams) {
				List<SseEvent> events = new ArrayList<>();
				for (int i = 0; i < 1000; i++) {
					events.add(next(stream));
				}
				List<Long> sequences = events.stream().map((e) -> sequenceOf(e.lastEventId())).toList();
				assertThat(sequences).isSorted().doesNotHaveDuplicates();
				assertThat(sequences.get(999) - sequences.get(0)).isEqualTo(999);
				assertThat(events.stream().map(SseEvent::data).distinct()).hasSize(1000);
			}
		}
		finally {
			streams.forEach(SseTestClient.Stream::close);
		}
	}

	@Test
	void forgetsASubscriberWhenItsClientLeaves() {
		SseTestClient.Stream stream = this.client.open("/topics/leaving");
		awaitSubscribers("leaving", 1);
		stream.close();
		// The next write (an event or a heartbeat) finds the client gone.
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("leaving") == 0);
	}

	@Test
	void answersAnInvalidTopicNameWithBadRequest() {
		try (SseTestClient.Stream stream = this.client.open("/topics/bad%20topic")) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(stream.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(stream.body()).contains("\"status\":400").contains("\"detail\":\"topic 'bad topic' is not 1 to 200 characters");
		}
	}

	private void assertResetThenLive(String topic, String lastEventId, String reason) {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic, "Last-Event-ID", lastEventId)) {
			SseEvent reset = next(stream);
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo(reason);
			String live = this.broadcaster.publish(topic, "live");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("live");
			assertThat(event.lastEventId()).isEqualTo(live);
			assertThat(sequenceOf(live) - sequenceOf(reset.lastEventId())).isEqualTo(1);
		}
	}

	private List<String> data(SseTestClient.Stream stream, int count) {
		List<String> data = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			data.add(next(stream).data());
		}
		return data;
	}

	private SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).as("an event before the stream ends").isNotNull();
		return event;
	}

	private void awaitSubscribers(String topic, int count) {
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount(topic) == count);
	}

	private static long sequenceOf(String id) {
		return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
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
