package io.github.ssestarter.internal.webflux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.github.ssestarter.LastEventId;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.TestUserWebFilter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux application with controller methods that ask for event streams in each way the
 * starter knows, and one that does not.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WebFluxTestApplication.StreamController.class)
class WebFluxTestApplication {

	@Bean
	TestUserWebFilter testUserWebFilter() {
		return new TestUserWebFilter();
	}

	@Bean
	Probe probe() {
		return new Probe();
	}

	/** What the test observes of the sources it hands out. */
	static final class Probe {

		volatile CountDownLatch cancelled = new CountDownLatch(1);

	}

	@RestController
	static class StreamController {

		private final Probe probe;

		StreamController(Probe probe) {
			this.probe = probe;
		}

		@GetMapping("/items")
		Flux<SseItem<String>> items() {
			return Flux.just(SseItem.of("one").withId("1").withEventType("number"),
					SseItem.of("two").withId("2").withEventType("number"));
		}

		@GetMapping("/notes")
		@SseEndpoint(eventType = "note", retry = "2s")
		Flux<String> notes() {
			return Flux.just("a", "b");
		}

		@GetMapping("/spring-events")
		Flux<ServerSentEvent<String>> springEvents() {
			return Flux.just(ServerSentEvent.builder("x").event("spring").id("7").build());
		}

		@GetMapping("/lines")
		@SseEndpoint
		Stream<String> lines() {
			return Stream.of("first", "second");
		}

		@GetMapping("/quiet")
		@SseEndpoint(heartbeat = "200ms")
		Flux<String> quiet() {
			Probe probe = this.probe;
			return Flux.<String>never().doOnCancel(() -> probe.cancelled.countDown());
		}

		@GetMapping("/ticks")
		@SseEndpoint(eventType = "tick")
		Flux<Long> ticks() {
			return Flux.range(0, 1000).map(Long::valueOf).delayElements(Duration.ofMillis(5));
		}

		@GetMapping("/last-event-id")
		@SseEndpoint
		Flux<String> lastEventId(@LastEventId @Nullable String lastEventId) {
			return Flux.just(String.valueOf(lastEventId));
		}

		@GetMapping("/json")
		Flux<Map<String, String>> json() {
			return Flux.just(Map.of("name", "a"), Map.of("name", "b"));
		}

		@GetMapping("/list")
		List<String> list() {
			return List.of("a", "b");
		}

	}

}
