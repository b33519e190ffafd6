package io.github.ssestarter.benchmarks.server.emitter;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.server.BenchmarkTopic;
import io.github.ssestarter.benchmarks.server.ReleaseTimes;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Keeps the open emitters in a {@link CopyOnWriteArrayList} and sends each event to each of them
 * in turn, dropping an emitter when it completes, fails or times out.
 */
@Component
class EmitterBroadcaster implements BenchmarkTopic {

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	private final ReleaseTimes releases = new ReleaseTimes();

	private long sequence;

	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(0L);
		emitter.onCompletion(() -> release(emitter));
		emitter.onTimeout(() -> release(emitter));
		emitter.onError((ex) -> release(emitter));
		this.emitters.add(emitter);
		return emitter;
	}

	@Override
	public String publish(String data) {
		String id = Long.toString(++this.sequence);
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().id(id).name(BenchmarkContract.EVENT_TYPE).data(data));
			}
			catch (IOException | IllegalStateException ex) {
				release(emitter);
			}
		}
		return id;
	}

	private void release(SseEmitter emitter) {
		if (this.emitters.remove(emitter)) {
			this.releases.released();
		}
	}

	@Override
	public long[] releasedSince(long sinceMicros) {
		return this.releases.since(sinceMicros);
	}

	@Override
	public int subscriberCount() {
		return this.emitters.size();
	}

}
