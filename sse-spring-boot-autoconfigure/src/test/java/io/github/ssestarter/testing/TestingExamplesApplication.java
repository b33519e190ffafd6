package io.github.ssestarter.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application whose event streams are tested the ways the README shows: with MockMvc, as users
 * test the rest of their Spring MVC application, and over real HTTP with the starter's reader.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestingExamplesApplication {

	@RestController
	static class GreetingController {

		final AtomicInteger answersStarted = new AtomicInteger();

		private final SseBroadcaster broadcaster;

		GreetingController(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@GetMapping("/greetings")
		Stream<SseItem<String>> greetings() {
			return Stream.of(SseItem.of("greeting", "hello"), SseItem.of("greeting", "bye"));
		}

		@GetMapping("/letters")
		@SseEndpoint
		Flux<String> letters() {
			return Flux.just("a", "b");
		}

		@GetMapping("/news")
		SseSubscription news() {
			return this.broadcaster.subscribe("news");
		}

		@GetMapping("/answer")
		@SseEndpoint(resumeWindow = "1m", eventType = "token")
		Stream<String> answer() {
			this.answersStarted.incrementAndGet();
			return Stream.of("one", "two", "three");
		}

	}

}
