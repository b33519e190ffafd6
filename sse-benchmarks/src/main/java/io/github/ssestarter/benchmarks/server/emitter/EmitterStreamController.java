package io.github.ssestarter.benchmarks.server.emitter;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: a new emitter registered with the broadcaster. {@code Last-Event-ID} is
 * ignored: there is nothing to replay from.
 */
@RestController
class EmitterStreamController {

	private final EmitterBroadcaster broadcaster;

	EmitterStreamController(EmitterBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@GetMapping(path = BenchmarkContract.STREAM, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		return this.broadcaster.subscribe();
	}

}
