package io.github.ssestarter.internal.broadcast;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events published in bursts reach each subscriber several to a write, joined in an array the
 * writing thread reuses. A client that reads slowly leaves writes waiting in the container, which
 * may keep sending from that array later, while the same threads write to the other clients: every
 * client still receives every event intact, in order.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.subscriber.queue-capacity=" + BatchedWritesTests.EVENTS,
				"sse.replay.capacity=" + BatchedWritesTests.EVENTS })
class BatchedWritesTests {

	static final int EVENTS = 6000;

	static final int BURST = 60;

	static final int FAST_CLIENTS = 4;

	static final Duration PATIENCE = Duration.ofSeconds(60);

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Test
	void everyClientReceivesEveryEventOfBurstsIntactWhileWritesToASlowClientWait() throws Exception {
		List<SseTestClient.Stream> fastClients = new ArrayList<>();
		try (Socket slowClient = new Socket()) {
			slowClient.setReceiveBufferSize(2048);
			slowClient.setSoTimeout((int) PATIENCE.toMillis());
			slowClient.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream out = slowClient.getOutputStream();
			// HTTP/1.0, so that the body comes unchunked.
			out.write("GET /topics/bursts HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			for (int i = 0; i < FAST_CLIENTS; i++) {
				fastClients.add(new SseTestClient(this.port).open("/topics/bursts"));
			}
			await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("bursts") == FAST_CLIENTS + 1);
			CompletableFuture<List<SseEvent>> slowReceived = CompletableFuture
				.supplyAsync(() -> readSlowly(slowClient));
			List<CompletableFuture<List<SseEvent>>> fastReceived = new ArrayList<>();
			for (SseTestClient.Stream fast : fastClients) {
				fastReceived.add(CompletableFuture.supplyAsync(() -> read(fast)));
			}
			for (int i = 0; i < EVENTS; i++) {
				this.broadcaster.publish("bursts", data(i));
				if (i % BURST == BURST - 1) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
				}
			}
			for (CompletableFuture<List<SseEvent>> fast : fastReceived) {
				assertIntactAndInOrder(fast.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
			}
			assertIntactAndInOrder(slowReceived.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
		}
		finally {
			fastClients.forEach(SseTestClient.Stream::close);
		}
	}

	/** Each event's data names its number and is long, so that a burst of them fills the socket. */
	private static String data(int number) {
		return number + ":" + String.valueOf((char) ('a' + number % 26)).repeat(1000);
	}

	private static void assertIntactAndInOrder(List<SseEvent> events) {
		assertThat(events).hasSize(EVENTS);
		for (int i = 0; i < EVENTS; i++) {
			assertThat(events.get(i).data()).as("event %d", i).isEqualTo(data(i));
		}
	}

	private static List<SseEvent> read(SseTestClient.Stream stream) {
		List<SseEvent> events = new ArrayList<>();
		for (int i = 0; i < EVENTS; i++) {
			events.add(stream.next());
		}
		return events;
	}

	/** Reads a little at a time with pauses, so that what the server sends waits in its buffers. */
	private static List<SseEvent> readSlowly(Socket socket) {
		try {
			InputStream in = new FilterInputStream(socket.getInputStream()) {

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
					return super.read(buffer, offset, Math.min(length, 1024));
				}

			};
			SseTestClient.skipResponseHead(in);
			SseEventReader reader = new SseEventReader(in);
			List<SseEvent> events = new ArrayList<>();
			for (int i = 0; i < EVENTS; i++) {
				events.add(reader.next());
			}
			return events;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
