package io.github.ssestarter.broadcast;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A log of each topic's events shared by several instances of an application, so that a client
 * may be served by any of them. The log gives every event its id; ids are ordered per topic and
 * survive restarts of the instances.
 *
 * <p>With a backplane, {@link DefaultSseBroadcaster} appends published events to the log instead of
 * to its own memory, follows each topic it has subscribers for (once per instance, whatever the
 * number of subscribers) and replays from the log what its own buffer no longer holds.
 * Implementations are thread-safe.
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
	 * The id of the newest event in a topic's log, or an id that sorts before every id when the
	 * log is empty.
	 * @param topic the topic
	 * @return the id
	 * @throws SseBackplaneException if the log cannot be reached
	 */
	String newestId(String topic);

	/**
	 * Events that follow an id in a topic's log, oldest first.
	 * @param topic the topic
	 * @param id an id of this log
	 * @param max the most events to return
	 * @return the events, or {@code null} if the log no longer holds every event after the id
	 * (it was trimmed, or they are older than the replay age)
	 * @throws SseBackplaneException if the log cannot be reached
	 */
	@Nullable List<SseBackplaneEvent> after(String topic, String id, int max);

	/**
	 * Delivers, in order, every event appended to a topic's log after an id, from any instance,
	 * until the returned handle is closed. Delivery outlives outages of the log: it resumes after
	 * the last event delivered.
	 * @param topic the topic
	 * @param afterId the id after which to start
	 * @param consumer receives each batch of events, on one thread at a time
	 * @return the handle that stops delivery
	 */
	AutoCloseable follow(String topic, String afterId, Consumer<List<SseBackplaneEvent>> consumer);

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
	 * The backplane's state, for health and monitoring: at least {@code "status"} ({@code UP} or
	 * {@code DOWN}).
	 * @return the state
	 */
	Map<String, Object> state();

}
