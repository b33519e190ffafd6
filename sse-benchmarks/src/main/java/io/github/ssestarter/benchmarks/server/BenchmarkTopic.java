package io.github.ssestarter.benchmarks.server;

/**
 * The single topic of a server under test: the one thing each server implements its own way.
 *
 * <p>{@link #publish(String)} is called from one publisher thread only. Implementations deliver
 * the event to every current subscriber of {@code GET /stream} with the event type
 * {@link io.github.ssestarter.benchmarks.protocol.BenchmarkContract#EVENT_TYPE}, the data as
 * given (which carries the publisher's sequence number) and an id that increases with each event.
 */
public interface BenchmarkTopic {

	/**
	 * Publishes one event to every subscriber.
	 * @param data the event data
	 * @return the id the event was given
	 * @throws RuntimeException when the event could not be published; the publisher counts it and
	 * goes on
	 */
	String publish(String data);

	/**
	 * The number of subscribers the server currently holds.
	 * @return the subscriber count
	 */
	int subscriberCount();

	/**
	 * The number of event streams the server holds open, whether or not they are still
	 * subscribed: a server counts a stream here until it has released it. By default the
	 * subscriber count, which is the same for servers that keep one list of open streams.
	 * @return the open stream count
	 */
	default int openConnections() {
		return subscriberCount();
	}

	/**
	 * When the server released event streams, for servers that record it.
	 * @param sinceMicros the earliest time to report, epoch microseconds
	 * @return the release times from then on, epoch microseconds; empty by default
	 */
	default long[] releasedSince(long sinceMicros) {
		return new long[0];
	}

}
