package io.github.ssestarter.benchmarks.server.starter;

import java.util.concurrent.CompletableFuture;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.server.BenchmarkTopic;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.web.SseConnectionManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The benchmark topic as a topic of the starter's broadcaster: publishing returns the id the
 * broadcaster assigned ({@code <epoch>-<sequence>} in memory, the Redis stream entry id
 * {@code <ms>-<seq>} with {@code sse.backplane=redis}). The topic is {@code bench} unless
 * {@code bench.topic} names another: the runner gives each Redis run a fresh one, since streams
 * outlive the servers. {@link #publishAsync(String)} is the broadcaster's
 * {@code publishAsync}: with the Redis backplane the publisher's events go out without waiting
 * for each other's round trips.
 */
@Component
class StarterTopic implements BenchmarkTopic {

	private final SseBroadcaster broadcaster;

	private final String name;

	private final ObjectProvider<SseConnectionManager> connections;

	private final StarterReleaseListener releases;

	StarterTopic(SseBroadcaster broadcaster, @Value("${bench.topic:bench}") String name,
			ObjectProvider<SseConnectionManager> connections, StarterReleaseListener releases) {
		this.broadcaster = broadcaster;
		this.name = name;
		this.connections = connections;
		this.releases = releases;
	}

	String name() {
		return this.name;
	}

	@Override
	public String publish(String data) {
		return this.broadcaster.publish(this.name, SseItem.of(BenchmarkContract.EVENT_TYPE, data));
	}

	@Override
	public CompletableFuture<String> publishAsync(String data) {
		return this.broadcaster.publishAsync(this.name, SseItem.of(BenchmarkContract.EVENT_TYPE, data));
	}

	@Override
	public int subscriberCount() {
		return (this.broadcaster instanceof DefaultSseBroadcaster broadcaster) ? broadcaster.subscriberCount(this.name) : -1;
	}

	/**
	 * The streams the starter's connection manager holds open ({@code SseConnectionManager.openConnections()}):
	 * a stream leaves it once the starter has ended it, e.g. when it noticed that the client left.
	 */
	@Override
	public int openConnections() {
		SseConnectionManager manager = this.connections.getIfAvailable();
		return (manager != null) ? manager.openConnections() : subscriberCount();
	}

	@Override
	public long[] releasedSince(long sinceMicros) {
		return this.releases.times().since(sinceMicros);
	}

}
