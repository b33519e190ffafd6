package io.github.ssestarter;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Told what the starter's streams and topics do, for metrics and monitoring; every method does
 * nothing by default. Define beans of this type to be told; the starter's Micrometer support is
 * one.
 *
 * <p>Methods are called on the threads that do the work, some of them on the hot path of
 * delivery: implementations must be thread-safe, return quickly, never block and never throw.
 * Arguments are bounded in number of distinct values: {@code endpoint} is a route template (never a
 * raw path) and {@code topic} a topic name; no user name or event id is ever passed.
 */
public interface SseListener {

	/**
	 * A stream has opened.
	 * @param endpoint the route template of the request, such as {@code /topics/{topic}}
	 * @param topic the broadcaster topic the stream delivers, or {@code null} if it delivers a
	 * {@code Stream} or {@code Flux}
	 */
	default void connectionOpened(String endpoint, @Nullable String topic) {
	}

	/**
	 * A stream has ended, or was refused before it opened; called once per stream, and after
	 * {@link #connectionOpened} for a stream that opened.
	 * @param endpoint the route template of the request
	 * @param topic the topic the stream delivers, or {@code null}
	 * @param outcome how it ended, {@link SseStreamOutcome#REJECTED} for a stream refused by a
	 * connection limit or because the server is stopping (never preceded by
	 * {@link #connectionOpened})
	 */
	default void connectionEnded(String endpoint, @Nullable String topic, SseStreamOutcome outcome) {
	}

	/**
	 * An event has been published to a topic.
	 * @param topic the topic
	 */
	default void eventPublished(String topic) {
	}

	/**
	 * Events of a topic have been written to one client and flushed; called once per write.
	 * @param topic the topic
	 * @param count the number of events written
	 * @param latencyNanos the first {@code count} entries hold each event's time from its
	 * publication to the end of the write, in nanoseconds; the array is reused after the call
	 * returns, so it must not be kept
	 */
	default void eventsDelivered(String topic, int count, long[] latencyNanos) {
	}

	/**
	 * Events of a topic will never reach one client over its current connection.
	 * @param topic the topic
	 * @param reason {@code drop-oldest} when a slow client skipped its oldest events, or
	 * {@code overflow} for the events a slow client was behind by when it was disconnected (it
	 * may get them back by resuming with its last event id)
	 * @param count the number of events
	 */
	default void eventsDropped(String topic, String reason, long count) {
	}

	/**
	 * A client resumed a topic with a {@code Last-Event-ID}.
	 * @param topic the topic
	 * @param outcome {@code recovered} when the events after that id are replayed, or
	 * {@code reset} when they cannot be and the client is sent a reset event
	 * @param replayed the number of events replayed (before filters and per-user addressing), 0
	 * for a reset
	 */
	default void replayed(String topic, String outcome, long replayed) {
	}

	/**
	 * A topic was dropped because nobody used it any more; anything kept for it may go.
	 * @param topic the topic
	 */
	default void topicRetired(String topic) {
	}

	/**
	 * A resumable stream's client has gone; the stream's source keeps running for its resume
	 * window.
	 * @param endpoint the route template of the endpoint that started the stream
	 */
	default void streamDetached(String endpoint) {
	}

	/**
	 * A client has resumed a resumable stream with the id of one of its events.
	 * @param endpoint the route template of the endpoint that started the stream
	 */
	default void streamResumed(String endpoint) {
	}

	/**
	 * A resumable stream was dropped because nobody resumed it within its window, or to make room
	 * for newer detached streams; its source was cancelled.
	 * @param endpoint the route template of the endpoint that started the stream
	 */
	default void streamExpired(String endpoint) {
	}

	/**
	 * A listener that does nothing.
	 * @return the listener
	 */
	static SseListener none() {
		return CompositeSseListener.NONE;
	}

	/**
	 * A listener that tells each of the given listeners in turn, and logs and carries on past one
	 * that throws, so that a failing listener never fails the work it is told of.
	 * @param listeners the listeners
	 * @return the listener; {@link #none()} when there are none
	 */
	static SseListener composite(List<? extends SseListener> listeners) {
		// Even one listener is guarded: one that throws must not fail the publish that told it.
		return listeners.isEmpty() ? none() : new CompositeSseListener(listeners);
	}

}
