package io.github.ssestarter.webflux;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose only web dependency is this starter: it stays a WebFlux application on
 * Netty, streams what its controller returns and delivers what it publishes to a topic.
 */
@SpringBootTest(classes = WebFluxStarterTests.Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebFluxStarterTests {

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void isAWebFluxApplicationOnNettyWithoutSpringMvc() {
		assertThat(ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", null)).isFalse();
		assertThat(this.context.getWebServer().getClass().getSimpleName()).contains("Netty");
	}

	@Test
	void streamsWhatTheControllerReturns() throws Exception {
		try (SseEventReader events = open("/greetings")) {
			assertThat(events.next()).isEqualTo(new SseEvent("greeting", "hello", ""));
			assertThat(events.next()).isEqualTo(new SseEvent("greeting", "world", ""));
			assertThat(events.next()).isNull();
		}
	}

	@Test
	void deliversWhatIsPublishedOnceTheStreamIsOpen() throws Exception {
		try (SseEventReader events = open("/news")) {
			String id = this.broadcaster.publish("news", "extra");
			assertThat(events.next()).isEqualTo(new SseEvent("message", "extra", id));
		}
	}

	private SseEventReader open(String path) throws IOException, InterruptedException {
		HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
		return new SseEventReader(response.body());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Controller.class)
	static class Application {

	}

	@RestController
	static class Controller {

		private final SseBroadcaster broadcaster;

		Controller(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@GetMapping("/greetings")
		@SseEndpoint(eventType = "greeting")
		Flux<String> greetings() {
			return Flux.just("hello", "world");
		}

		@GetMapping("/news")
		SseSubscription news() {
			return this.broadcaster.subscribe("news");
		}

	}

}
