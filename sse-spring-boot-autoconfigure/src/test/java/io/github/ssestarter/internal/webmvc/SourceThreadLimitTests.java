package io.github.ssestarter.internal.webmvc;

import java.time.Duration;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.internal.webmvc.StreamingTestApplication.Probe;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Without virtual threads, each {@code Stream} source is pulled on one of
 * {@code sse.executor.max-platform-threads} threads: beyond them a stream is refused at once with
 * {@code 503}, never left waiting silently, and {@code Flux} streams, which need no thread of
 * their own, are served all the same.
 */
@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "virtual threads pull every Stream source")
@SpringBootTest(classes = StreamingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.executor.max-platform-threads=2", "sse.heartbeat=200ms" })
class SourceThreadLimitTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Probe probe;

	SseTestClient client;

	@BeforeEach
	void setUp() {
		this.probe.reset();
		this.client = new SseTestClient(this.port);
	}

	@Test
	void refusesAStreamBeyondThePullingThreadsUntilOneIsFree() {
		try (SseTestClient.Stream first = this.client.open("/heartbeats")) {
			try (SseTestClient.Stream second = this.client.open("/heartbeats");
					SseTestClient.Stream third = this.client.open("/heartbeats")) {
				assertThat(second.status()).isEqualTo(200);
				assertThat(third.status()).isEqualTo(503);
				assertThat(third.header("Retry-After")).isEqualTo("1");
				assertThat(third.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(third.body()).contains("threads that pull Stream sources are busy");
				try (SseTestClient.Stream flux = this.client.open("/flux-plain")) {
					assertThat(assertTimeoutPreemptively(PATIENCE, flux::next)).isEqualTo(new SseEvent("message", "a", ""));
				}
			}
			// Once the server has noticed the second client left, its thread is free again.
			await().atMost(PATIENCE).until(() -> {
				try (SseTestClient.Stream again = this.client.open("/heartbeats")) {
					return again.status() == 200;
				}
			});
			assertThat(first.status()).isEqualTo(200);
		}
	}

}
