package io.github.ssestarter.benchmarks.server.flux;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /stream}: the shared sink as a {@code Flux} of server-sent events.
 * {@code Last-Event-ID} is ignored: there is nothing to replay from.
 */
@RestController
class FluxStreamController {

	private final FluxBroadcaster broadcaster;

	FluxStreamController(FluxBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@GetMapping(path = BenchmarkContract.STREAM, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> stream() {
		return this.broadcaster.subscribe();
	}

}
