package io.github.ssestarter.benchmarks.server.starter;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.server.BenchmarkTopic;
import io.github.ssestarter.broadcast.DefaultSseBroadcaster;

import org.springframework.stereotype.Component;

/**
 * The benchmark topic as a topic of the starter's broadcaster: publishing returns the id the
 * broadcaster assigned ({@code <epoch>-<sequence>}).
 */
@Component
class StarterTopic implements BenchmarkTopic {

	static final String NAME = "bench";

	private final SseBroadcaster broadcaster;

	StarterTopic(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@Override
	public String publish(String data) {
		return this.broadcaster.publish(NAME, SseItem.of(BenchmarkContract.EVENT_TYPE, data));
	}

	@Override
	public int subscriberCount() {
		return (this.broadcaster instanceof DefaultSseBroadcaster broadcaster) ? broadcaster.subscriberCount(NAME) : -1;
	}

}
