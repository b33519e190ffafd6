package io.github.ssestarter.observation;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.TestUsers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with Actuator's meters and the test tracer that subscribes clients to any topic,
 * signed in as the user the {@code X-Test-User} header names.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestUsers.class, TracingTestConfiguration.class, ObservationTestApplication.TopicController.class })
class ObservationTestApplication {

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

	}

}
