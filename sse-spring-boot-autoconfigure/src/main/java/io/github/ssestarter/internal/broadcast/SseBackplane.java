package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.ssestarter.SseBackplaneException;
import org.jspecify.annotations.Nullable;

/**
 * A log of each topic's events shared by several instances of an application, so that a client
 * may be served by any of them. The log gives every event its id; ids are ordered per topic and
 * survive restarts of the instances.
 *
 * <p>With a backplane, {@link DefaultSseBroadcaster} appends published events to the log instead of
 * to its own memory. A topic that has subscribers here starts from the log's {@link #backlog
 * backlog} (its ring then replays what the log holds, shared by every resuming client) and
 * {@link #follow follows} the log, so that events published on any instance reach them.
 * Implementations are thread-safe, and hold a fixed number of threads and connections however
 * many topics are followed.
 */
public interface SseBackplane {

	/**
	 * Appends an event to a topic's log.
	 * @param topic the topic
	 * @param event the event, without id
	 * @return the id the log gave the event
	 * @throws SseBackplaneException if the log did not accept the event
	 */
	String append(String topic, SseBackplaneEvent event);

	/**
	 * Appends an event without waiting for the log, so that appends from one thread can travel
	 * together; events a thread appends keep their order.
	 * @param topic the topic
	 * @param event the event, without id
	 * @return completed with the id the log gave the event, or with an {@link SseBackplaneException}
	 * if the log did not accept it
	 */
	default CompletableFuture<String> appendAsync(String topic, SseBackplaneEvent event) {
		try {
			return CompletableFuture.completedFuture(append(topic, event));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The id of the newest event in a topic's log, or an id that sorts before every id when the
	 * log is empty.
	 * @param topic the topic
	 * @return the id
	 * @throws SseBackplaneException if the log cannot be reached
	 */
	String newestId(String topic);

	/**
	 * The newest events of a topic's log, for a topic starting on this instance.
	 * @param topic the topic
	 * @param max the most events to return
	 * @return the events and where they start
	 * @throws SseBackplaneException if the log cannot be reached
	 */
	Backlog backlog(String topic, int max);

	/**
	 * Delivers, in order, every event appended to a topic's log after an id, from any instance,
	 * until the returned handle is closed. Delivery outlives outages of the log: it resumes after
	 * the last event delivered, and says so when events were lost meanwhile.
	 * @param topic the topic
	 * @param afterId the id after which to start
	 * @param follower receives the events, on one thread at a time
	 * @return the handle that stops delivery
	 */
	AutoCloseable follow(String topic, String afterId, Follower follower);

	/**
	 * Whether the text is an id of this log.
	 * @param id the text, from a client
	 * @return whether it is an id
	 */
	boolean isId(String id);

	/**
	 * Orders two ids of this log.
	 * @param first an id
	 * @param second another id
	 * @return negative, zero or positive as the first sorts before, with or after the second
	 */
	int compare(String first, String second);

	/**
	 * When the log took the event with the given id.
	 * @param id an id of this log
	 * @return the time
	 */
	Instant timeOf(String id);

	/**
	 * The backplane's state, for health and monitoring: at least {@code "status"} ({@code UP} or
	 * {@code DOWN}).
	 * @return the state
	 */
	Map<String, Object> state();

	/**
	 * The logs of resumable streams, kept apart from topics, or {@code null} if this backplane keeps
	 * none: resumable streams are then resumed only on the instance that started them.
	 * @return the stream logs, or {@code null}
	 */
	default @Nullable StreamLogs streamLogs() {
		return null;
	}

	/**
	 * Logs of resumable streams, so that a client may resume a stream on an instance other than the
	 * one running its source. A stream log is named by the stream's key, has bounds of its own, and
	 * expires a given time after it was last appended to or {@link #keep kept}, whoever follows it.
	 * A stream log may have one short text mark beside it, with an expiry of its own, by which the
	 * instance serving the stream's client tells the instance running its source how far the client
	 * has got.
	 */
	interface StreamLogs {

		/**
		 * Appends an event to a stream's log, as {@link SseBackplane#appendAsync(String, SseBackplaneEvent)}
		 * does to a topic's; events a thread appends keep their order.
		 * @param stream the stream's key
		 * @param event the event, without id
		 * @param capacity about the most events the log keeps
		 * @param expiry how long the log is kept after this append
		 * @return completed with the id the log gave the event, or with an {@link SseBackplaneException}
		 */
		CompletableFuture<String> append(String stream, SseBackplaneEvent event, int capacity, Duration expiry);

		/**
		 * The newest events of a stream's log, empty if it has none (never written, expired or deleted).
		 * @param stream the stream's key
		 * @param max the most events to return
		 * @return the events and where they start
		 * @throws SseBackplaneException if the log cannot be reached
		 */
		Backlog backlog(String stream, int max);

		/**
		 * Delivers every event appended to a stream's log after an id, as {@link SseBackplane#follow}
		 * does for a topic, until the returned handle is closed; following does not keep the log.
		 * @param stream the stream's key
		 * @param afterId the id after which to start
		 * @param follower receives the events, on one thread at a time
		 * @return the handle that stops delivery
		 */
		AutoCloseable follow(String stream, String afterId, Follower follower);

		/**
		 * Keeps stream logs from expiring for a while more. A failure is not reported: callers
		 * renew again before the logs expire.
		 * @param expiries how long to keep each stream's log from now, by key
		 */
		void keep(Map<String, Duration> expiries);

		/**
		 * Sets a stream's mark. A failure is not reported: callers set it again before it expires.
		 * @param stream the stream's key
		 * @param mark the text
		 * @param expiry how long the mark lasts unless set again
		 */
		void mark(String stream, String mark, Duration expiry);

		/**
		 * The marks of streams that have one.
		 * @param streams the streams' keys
		 * @return each mark that is set, by key
		 * @throws SseBackplaneException if the log cannot be reached
		 */
		Map<String, String> marks(Collection<String> streams);

	}

	/**
	 * The newest events of a topic's log.
	 *
	 * @param after the log holds every event after this id and none before it that is still to
	 * be replayed: the id before the oldest event, or an id sorting before every id
	 * @param newestId the id of the newest entry, which may be one that could not be read
	 * @param events the events, oldest first
	 */
	record Backlog(String after, String newestId, List<SseBackplaneEvent> events) {
	}

	/**
	 * Receives a followed topic's events.
	 */
	interface Follower {

		/**
		 * Events appended to the log, oldest first.
		 * @param events the events
		 */
		void events(List<SseBackplaneEvent> events);

		/**
		 * Events were lost between the last event delivered and the next one (the log was trimmed
		 * while they were unread, or it restarted empty): subscribers cannot get them.
		 * @param lastMissingId an id at or after every lost event, and before the next event
		 */
		void gap(String lastMissingId);

	}

}
