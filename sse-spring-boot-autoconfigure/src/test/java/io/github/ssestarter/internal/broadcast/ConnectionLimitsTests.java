package io.github.ssestarter.internal.broadcast;

import java.time.Duration;

import io.github.ssestarter.internal.web.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams beyond {@code sse.max-connections} or {@code sse.max-connections-per-user} are refused
 * before they start, with a {@code Retry-After}.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.max-connections=3", "sse.max-connections-per-user=2", "sse.heartbeat=200ms" })
class ConnectionLimitsTests {

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Test
	void refusesStreamsBeyondTheLimitsUntilOthersClose() {
		SseTestClient client = new SseTestClient(this.port);
		try (SseTestClient.Stream alice1 = client.open("/topics/limited", "X-Test-User", "alice");
				SseTestClient.Stream alice2 = client.open("/topics/limited", "X-Test-User", "alice")) {
			assertThat(alice1.status()).isEqualTo(200);
			assertThat(alice2.status()).isEqualTo(200);
			try (SseTestClient.Stream alice3 = client.open("/topics/limited", "X-Test-User", "alice")) {
				assertThat(alice3.status()).isEqualTo(429);
				assertThat(alice3.header("Retry-After")).isEqualTo("1");
				assertThat(alice3.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(alice3.body()).contains("\"status\":429")
					.contains("Too many event streams are open for this user (2)");
			}
			try (SseTestClient.Stream anonymous = client.open("/topics/limited")) {
				assertThat(anonymous.status()).isEqualTo(200);
				try (SseTestClient.Stream oneTooMany = client.open("/topics/limited", "X-Test-User", "bob")) {
					assertThat(oneTooMany.status()).isEqualTo(503);
					assertThat(oneTooMany.header("Retry-After")).isEqualTo("1");
					assertThat(oneTooMany.body()).contains("\"status\":503");
				}
			}
			// Once the server has noticed the anonymous client left, its place is free again.
			await().atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.subscriberCount("limited") == 2);
			try (SseTestClient.Stream bob = client.open("/topics/limited", "X-Test-User", "bob")) {
				assertThat(bob.status()).isEqualTo(200);
			}
		}
	}

}
