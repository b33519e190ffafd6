package io.github.ssestarter.benchmarks.server;

import java.util.concurrent.CompletableFuture;

/**
 * The single topic of a server under test: the one thing each server implements its own way.
 *
 * <p>{@link #publish(String)} and {@link #publishAsync(String)} are called from one publisher
 * thread only. Implementations deliver
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
	 * Publishes one event to every subscriber without waiting for it to be taken, where the server
	 * can: the publisher uses it for runs as fast as possible, with a bounded number of events in
	 * flight. Events published one after another from the publisher thread are to be delivered in
	 * that order. By default {@link #publish(String)}, done by the time it returns.
	 * @param data the event data
	 * @return completed with the id the event was given, or with what {@link #publish(String)}
	 * would have thrown
	 */
	default CompletableFuture<String> publishAsync(String data) {
		try {
			return CompletableFuture.completedFuture(publish(data));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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
