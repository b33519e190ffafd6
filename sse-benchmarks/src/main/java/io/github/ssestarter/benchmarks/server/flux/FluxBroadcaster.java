package io.github.ssestarter.benchmarks.server.flux;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.server.BenchmarkTopic;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * A shared multicast sink; each subscriber gets its own bounded buffer because Spring MVC requests
 * one item at a time (and WebFlux only as far as the connection takes). A subscriber whose buffer
 * overflows fails and is disconnected.
 */
@Component
class FluxBroadcaster implements BenchmarkTopic {

	private final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many()
		.multicast()
		.onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);

	private final int subscriberBuffer;

	private long sequence;

	FluxBroadcaster(@Value("${benchmark.flux.subscriber-buffer:1024}") int subscriberBuffer) {
		this.subscriberBuffer = subscriberBuffer;
	}

	Flux<ServerSentEvent<String>> subscribe() {
		return this.sink.asFlux().onBackpressureBuffer(this.subscriberBuffer);
	}

	@Override
	public String publish(String data) {
		String id = Long.toString(++this.sequence);
		ServerSentEvent<String> event = ServerSentEvent.builder(data)
			.id(id)
			.event(BenchmarkContract.EVENT_TYPE)
			.build();
		Sinks.EmitResult result = this.sink.tryEmitNext(event);
		if (result.isFailure()) {
			throw new IllegalStateException("Sink refused event " + id + ": " + result);
		}
		return id;
	}

	@Override
	public int subscriberCount() {
		return this.sink.currentSubscriberCount();
	}

}
