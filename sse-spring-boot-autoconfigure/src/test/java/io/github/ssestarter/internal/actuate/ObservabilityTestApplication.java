package io.github.ssestarter.internal.actuate;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with Actuator and an in-memory meter registry that subscribes clients to any
 * topic, at two endpoints: one test counts how streams end at the second, which the others leave
 * alone.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ObservabilityTestApplication.TopicController.class)
class ObservabilityTestApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@RestController
	static class TopicController {

		private final SseBroadcaster broadcaster;

		TopicController(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@GetMapping({ "/topics/{topic}", "/counted/{topic}" })
		SseSubscription subscribe(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic);
		}

		/** Topics whose names hold a slash, such as {@code rooms/red}. */
		@GetMapping("/rooms/{room}")
		SseSubscription room(@PathVariable String room) {
			return this.broadcaster.subscribe("rooms/" + room);
		}

	}

}
