package io.github.ssestarter.benchmarks.server.starter;

import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.benchmarks.server.ReleaseTimes;

import org.springframework.stereotype.Component;

/**
 * Records when the starter ends each event stream (whatever the outcome), for the disconnect
 * scenario's per-stream release times.
 */
@Component
class StarterReleaseListener implements SseListener {

	private final ReleaseTimes times = new ReleaseTimes();

	@Override
	public void connectionEnded(String endpoint, String topic, SseStreamOutcome outcome) {
		this.times.released();
	}

	ReleaseTimes times() {
		return this.times;
	}

}
