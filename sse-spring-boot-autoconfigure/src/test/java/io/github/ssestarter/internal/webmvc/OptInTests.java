package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding the starter changes nothing for methods that do not ask for an event stream: the same
 * controllers answer the same status, content type and body with the starter and without it.
 */
class OptInTests {

	private static final String WITHOUT_STARTER = "spring.autoconfigure.exclude="
			+ "io.github.ssestarter.autoconfigure.SseAutoConfiguration,"
			+ "io.github.ssestarter.autoconfigure.SseMetricsAutoConfiguration,"
			+ "io.github.ssestarter.autoconfigure.SseActuatorEndpointAutoConfiguration,"
			+ "io.github.ssestarter.autoconfigure.SseRedisAutoConfiguration";

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	static ConfigurableApplicationContext withStarter;

	static ConfigurableApplicationContext withoutStarter;

	@BeforeAll
	static void startBoth() {
		withStarter = start();
		withoutStarter = start(WITHOUT_STARTER);
	}

	@AfterAll
	static void stopBoth() {
		withStarter.close();
		withoutStarter.close();
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(OrdersApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	@ParameterizedTest(name = "{0} with Accept: {1}")
	@CsvSource({ "/flux/json, application/json", "/flux/json, */*", "/flux/plain, application/json",
			"/flux/plain, */*", "/flux/ndjson, application/x-ndjson", "/stream/json, application/json",
			"/stream/plain, */*", "/stream/ndjson, application/x-ndjson", "/entity/flux, application/json",
			"/negotiated, application/json", "/negotiated, */*" })
	void answersMethodsThatDoNotAskForAnEventStreamAsSpringMvcDoes(String path, String accept) {
		HttpResponse<String> expected = get(withoutStarter, path, accept);
		HttpResponse<String> actual = get(withStarter, path, accept);
		assertThat(actual.statusCode()).isEqualTo(expected.statusCode());
		assertThat(actual.headers().firstValue("Content-Type")).isEqualTo(expected.headers().firstValue("Content-Type"));
		assertThat(actual.headers().firstValue("Cache-Control")).isEqualTo(expected.headers().firstValue("Cache-Control"));
		assertThat(actual.body()).isEqualTo(expected.body());
		assertThat(actual.headers().firstValue("X-Accel-Buffering")).isEmpty();
	}

	@Test
	void answersAJsonFluxWithAJsonArray() {
		HttpResponse<String> response = get(withStarter, "/flux/json", "application/json");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[{\"id\":\"a\",\"amount\":1},{\"id\":\"b\",\"amount\":2}]");
	}

	@Test
	void streamsAMethodThatNegotiatesAnEventStream() {
		SseTestClient client = new SseTestClient(port(withStarter));
		try (SseTestClient.Stream stream = client.open("/negotiated", "Accept", "text/event-stream")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
			assertThat(stream.next()).isEqualTo(new SseEvent("message", "{\"id\":\"a\",\"amount\":1}", ""));
		}
	}

	@Test
	void streamsAMethodThatProducesOnlyEventStreams() {
		SseTestClient client = new SseTestClient(port(withStarter));
		try (SseTestClient.Stream stream = client.open("/flux/events")) {
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
			assertThat(stream.next()).isEqualTo(new SseEvent("message", "{\"id\":\"a\",\"amount\":1}", ""));
		}
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path, String accept) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + path))
			.header("Accept", accept)
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	record Order(String id, int amount) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OrdersController.class)
	static class OrdersApplication {

	}

	/** An ordinary JSON API, as it was before the starter was added. */
	@RestController
	static class OrdersController {

		private static Flux<Order> orders() {
			return Flux.just(new Order("a", 1), new Order("b", 2));
		}

		@GetMapping(path = "/flux/json", produces = MediaType.APPLICATION_JSON_VALUE)
		Flux<Order> fluxJson() {
			return orders();
		}

		@GetMapping("/flux/plain")
		Flux<Order> fluxPlain() {
			return orders();
		}

		@GetMapping(path = "/flux/ndjson", produces = MediaType.APPLICATION_NDJSON_VALUE)
		Flux<Order> fluxNdjson() {
			return orders();
		}

		@GetMapping(path = "/stream/json", produces = MediaType.APPLICATION_JSON_VALUE)
		Stream<Order> streamJson() {
			return orders().toStream();
		}

		@GetMapping("/stream/plain")
		Stream<Order> streamPlain() {
			return orders().toStream();
		}

		@GetMapping(path = "/stream/ndjson", produces = MediaType.APPLICATION_NDJSON_VALUE)
		Stream<Order> streamNdjson() {
			return orders().toStream();
		}

		@GetMapping("/entity/flux")
		ResponseEntity<Flux<Order>> entityFlux() {
			return ResponseEntity.ok(orders());
		}

		@GetMapping(path = "/negotiated",
				produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE })
		Flux<Order> negotiated() {
			return orders();
		}

		@GetMapping(path = "/flux/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<Order> fluxEvents() {
			return orders();
		}

	}

}
