package io.github.ssestarter.internal.broadcast;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.TestUsers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that subscribes clients to any topic, and signs a request in as the user its
 * {@code X-Test-User} header names (standing in for Spring Security, which sets the principal the
 * same way). It runs on Spring MVC, or on Spring WebFlux where Spring MVC is not on the class path.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestUsers.class, BroadcastTestApplication.TopicController.class })
class BroadcastTestApplication {

	static final String USER_HEADER = TestUserFilter.HEADER;

	@RestController
	static class TopicController {

		private final SseBroadcaster broadcaster;

		TopicController(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@GetMapping("/topics/{topic}")
		SseSubscription subscribe(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic);
		}

		@GetMapping("/topics/{topic}/broken-filter")
		SseSubscription subscribeWithAFilterThatFails(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic, (item) -> {
				if ("bad".equals(item.data())) {
					throw new IllegalStateException("filter broke on purpose");
				}
				return true;
			});
		}

		@GetMapping("/topics/{topic}/even")
		SseSubscription subscribeToEvenData(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic, (item) -> Integer.parseInt((String) item.data()) % 2 == 0);
		}

	}

}
