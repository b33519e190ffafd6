package io.github.ssestarter.internal.broadcast;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import org.jspecify.annotations.Nullable;

/**
 * The subscription {@link DefaultSseBroadcaster} hands out; the web integration connects it to
 * the request that returned it.
 */
public final class TopicSubscription implements SseSubscription {

	private final DefaultSseBroadcaster broadcaster;

	private final String topic;

	private final Predicate<? super SseItem<?>> filter;

	private final AtomicBoolean connected = new AtomicBoolean();

	private volatile @Nullable PreparedSubscription prepared;

	TopicSubscription(DefaultSseBroadcaster broadcaster, String topic, Predicate<? super SseItem<?>> filter) {
		this.broadcaster = broadcaster;
		this.topic = topic;
		this.filter = filter;
	}

	@Override
	public String topic() {
		return this.topic;
	}

	/**
	 * Prepares delivery of the topic's events to a client, doing any reading from a shared log
	 * now; the returned consumer starts it on the client's connection, without waiting. The client
	 * first gets what it missed since its last event id (or a reset event if that cannot be
	 * replayed, or the topic's newest id if it sent none), then live events, each only if addressed
	 * to everyone or to the client's user.
	 * @param lastEventId the id the client resumes after, or {@code null}
	 * @param user the client's user name, or {@code null} for an anonymous client
	 * @return what connects the client, to be called once
	 * @throws IllegalStateException if this subscription was already prepared
	 * @throws SseBackplaneException if a shared log cannot be read
	 */
	public Consumer<SseSink> prepare(@Nullable String lastEventId, @Nullable String user) {
		if (!this.connected.compareAndSet(false, true)) {
			throw new IllegalStateException("A subscription serves one request; subscribe again for another");
		}
		PreparedSubscription subscription = this.broadcaster.prepare(this.topic, lastEventId, user, this.filter);
		this.prepared = subscription;
		return subscription;
	}

	/**
	 * Gives up a prepared subscription whose connection will not start (the stream was
	 * refused), so that its topic is not held for it. Has no effect once the connection started.
	 */
	public void abandon() {
		PreparedSubscription subscription = this.prepared;
		if (subscription != null) {
			subscription.abandon();
		}
	}

	@Override
	public String toString() {
		return "TopicSubscription{topic=" + this.topic + "}";
	}

}
