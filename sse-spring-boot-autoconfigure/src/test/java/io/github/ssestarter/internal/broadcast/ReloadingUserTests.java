package io.github.ssestarter.internal.broadcast;

import java.time.Duration;

import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.internal.web.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user who reloads a page, closing a quiet stream and opening a new one, gets their place back
 * as soon as the server notices the old connection closed: long before a heartbeat (an hour here)
 * would have found it.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.max-connections-per-user=1", "sse.heartbeat=1h" })
class ReloadingUserTests {

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Test
	void neverRefusesAUserWhoseEarlierStreamHasClosed() {
		SseTestClient client = new SseTestClient(this.port);
		for (int reload = 0; reload < 3; reload++) {
			try (SseTestClient.Stream page = client.open("/topics/quiet", TestUserFilter.HEADER, "alice")) {
				assertThat(page.status()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(15)).until(() -> this.broadcaster.subscriberCount("quiet") == 0);
		}
		try (SseTestClient.Stream page = client.open("/topics/quiet", TestUserFilter.HEADER, "alice")) {
			assertThat(page.status()).isEqualTo(200);
		}
	}

}
