package io.github.ssestarter.internal.webmvc;

import java.time.Duration;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.internal.webmvc.StreamingTestApplication.Probe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.internal.web.SseConnectionManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that closes its connection is noticed while its stream is quiet, long before any
 * heartbeat (an hour here) would find it gone, and by the writes of a busy stream: its source is
 * cancelled and its place freed.
 */
@SpringBootTest(classes = StreamingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.heartbeat=1h")
class DisconnectTests {

	/** Far more than the watch needs, far less than a heartbeat. */
	private static final Duration NOTICED = Duration.ofSeconds(15);

	@LocalServerPort
	int port;

	@Autowired
	Probe probe;

	@Autowired
	SseConnectionManager connections;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.probe.reset();
		this.client = new SseTestClient(this.port);
		await().atMost(NOTICED).until(() -> this.connections.openConnections() == 0);
	}

	@Test
	void noticesAClosedClientOfAQuietStreamAndClosesItsSource() {
		try (SseTestClient.Stream stream = this.client.open("/blocking")) {
			assertThat(stream.status()).isEqualTo(200);
			await().atMost(NOTICED).until(() -> this.connections.openConnections() == 1);
		}
		await().atMost(NOTICED).untilTrue(this.probe.streamClosed);
		assertThat(this.connections.openConnections()).isZero();
	}

	@Test
	void noticesAClosedClientOfAQuietFlux() {
		try (SseTestClient.Stream stream = this.client.open("/flux-quiet")) {
			assertThat(stream.status()).isEqualTo(200);
			await().atMost(NOTICED).until(() -> this.connections.openConnections() == 1);
		}
		await().atMost(NOTICED).until(() -> this.connections.openConnections() == 0);
	}

	@Test
	void noticesAClosedClientOfABusyStreamAtItsNextWrites() {
		// Written every 100 ms, so the watch leaves it alone: the writes find the client gone.
		try (SseTestClient.Stream stream = this.client.open("/flux")) {
			assertThat(ResumableStreamTests.next(stream).data()).isEqualTo("0");
		}
		await().atMost(NOTICED).untilTrue(this.probe.fluxCancelled);
		await().atMost(NOTICED).until(() -> this.connections.openConnections() == 0);
	}

	@Test
	void keepsAQuietStreamWhoseClientStays() {
		try (SseTestClient.Stream stream = this.client.open("/blocking")) {
			await().atMost(NOTICED).until(() -> this.connections.openConnections() == 1);
			await().during(Duration.ofMillis(1500)).atMost(NOTICED).until(() -> this.connections.openConnections() == 1);
			this.probe.queue.add("still here");
			assertThat(ResumableStreamTests.next(stream).data()).isEqualTo("still here");
		}
	}

}
