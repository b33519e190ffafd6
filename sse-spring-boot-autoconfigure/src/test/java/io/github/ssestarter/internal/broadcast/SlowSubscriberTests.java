package io.github.ssestarter.internal.broadcast;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading (sockets with a small receive buffer, never read) next to a fast one
 * on the same topic: the overflow policy deals with the slow ones, and the fast one receives every
 * event. There are more stalled clients than stream threads ({@code sse.executor.max-platform-threads=1} in
 * the subclasses), which shows that a stalled client holds no thread.
 */
abstract class SlowSubscriberTests {

	static final Duration PATIENCE = Duration.ofSeconds(30);

	/** Large enough that a few dozen events fill every buffer between the server and the slow socket. */
	static final String PAYLOAD = "x".repeat(16 * 1024);

	static final int EVENTS = 400;

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	static final int SLOW_CLIENTS = 3;

	final List<Socket> slowClients = new ArrayList<>();

	@BeforeEach
	void openSlowClients() throws IOException {
		for (int i = 0; i < SLOW_CLIENTS; i++) {
			Socket slowClient = new Socket();
			slowClient.setReceiveBufferSize(1024);
			slowClient.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream out = slowClient.getOutputStream();
			out.write(("GET /topics/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			this.slowClients.add(slowClient);
		}
	}

	@AfterEach
	void closeSlowClients() throws IOException {
		for (Socket slowClient : this.slowClients) {
			slowClient.close();
		}
	}

	/**
	 * Publishes while a fast client reads, and returns the sequences the fast client received;
	 * the check runs after publishing, while the fast client is still connected.
	 */
	List<Long> publishWhileAFastClientReads(Runnable check) throws Exception {
		try (SseTestClient.Stream fast = new SseTestClient(this.port).open("/topics/slow")) {
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("slow") == SLOW_CLIENTS + 1);
			CompletableFuture<List<Long>> received = CompletableFuture.supplyAsync(() -> {
				List<Long> sequences = new ArrayList<>();
				for (int i = 0; i < EVENTS; i++) {
					SseEvent event = fast.next();
					assertThat(event).as("event %d reaches the fast client", i).isNotNull();
					sequences.add(Long.parseLong(event.lastEventId().substring(event.lastEventId().lastIndexOf('-') + 1)));
				}
				return sequences;
			});
			for (int i = 0; i < EVENTS; i++) {
				this.broadcaster.publish("slow", PAYLOAD);
				// Paced like a live feed, so that the fast client is never the one falling behind.
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
			}
			List<Long> sequences = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			check.run();
			return sequences;
		}
	}

	static void assertContiguous(List<Long> sequences) {
		assertThat(sequences).hasSize(EVENTS);
		assertThat(sequences.get(EVENTS - 1) - sequences.get(0)).isEqualTo(EVENTS - 1);
		assertThat(sequences).isSorted().doesNotHaveDuplicates();
	}

	@Test
	abstract void dealsWithTheSlowClientWhileTheFastOneReceivesEveryEvent() throws Exception;

}
