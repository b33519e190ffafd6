package io.github.ssestarter.testing;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A topic subscription read over real HTTP with the starter's {@link SseEventReader}, with a
 * timeout on every wait, as the README's "Testing" section shows.
 */
@SpringBootTest(classes = TestingExamplesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RealHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void readsPublishedEventsOverHttp() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/news")).build();
		HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		// The response's headers arrive once the subscription is live: what is published now reaches it.
		assertThat(response.statusCode()).isEqualTo(200);
		try (SseEventReader events = new SseEventReader(response.body())) {
			String id = this.broadcaster.publish("news", "extra");
			assertThat(events.nextWithin(Duration.ofSeconds(15))).isEqualTo(new SseEvent("message", "extra", id));
		}
	}

}
