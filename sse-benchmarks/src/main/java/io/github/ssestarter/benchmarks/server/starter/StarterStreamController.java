package io.github.ssestarter.benchmarks.server.starter;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /stream}: a subscription to the benchmark topic. The starter reads
 * {@code Last-Event-ID} itself and replays what the client missed.
 */
@RestController
class StarterStreamController {

	private final SseBroadcaster broadcaster;

	private final StarterTopic topic;

	StarterStreamController(SseBroadcaster broadcaster, StarterTopic topic) {
		this.broadcaster = broadcaster;
		this.topic = topic;
	}

	@GetMapping(BenchmarkContract.STREAM)
	SseSubscription stream() {
		return this.broadcaster.subscribe(this.topic.name());
	}

}
