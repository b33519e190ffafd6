package io.github.ssestarter;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Publishes events to named topics and subscribes clients to them.
 *
 * <p>Each published event is given an id, ordered within its topic and carrying the broadcaster's
 * epoch, and is encoded once: every subscriber receives the same bytes. Recent events are kept in a
 * bounded replay buffer per topic, so a client that reconnects with {@code Last-Event-ID} receives
 * exactly the events it missed, then live ones. When its id cannot be replayed (unknown, from an
 * earlier epoch, or older than the buffer) it first receives a reset event, so it knows to reload its
 * state.
 *
 * <p>Publishing never blocks on a client: each subscriber is written to on its own, and one that
 * cannot keep up is handled by the overflow policy without slowing the others.
 *
 * <p>A controller method subscribes the calling client by returning a subscription; the starter
 * supplies the request's last event id and principal:
 * <pre class="code">
 * &#064;GetMapping("/orders/stream")
 * SseSubscription orders() {
 *     return broadcaster.subscribe("orders");
 * }
 * </pre>
 *
 * <p>Inside an active Spring transaction, an event is delivered once the transaction commits, and
 * never if it rolls back: its id is given at once, and its place in the topic is held until then,
 * so that nobody receives events published after it first. {@link #immediate()} publishes at once
 * instead.
 *
 * <p>Topic names are 1 to 200 characters of letters, digits and {@code . _ - : /}; any other name
 * is refused with an {@link IllegalArgumentException}. Implementations are thread-safe.
 */
public interface SseBroadcaster {

	/**
	 * This broadcaster, publishing at once even inside a transaction: for events that must reach
	 * clients whether or not the transaction commits (progress of the work itself, say).
	 * @return a broadcaster sharing this one's topics
	 */
	default SseBroadcaster immediate() {
		return this;
	}

	/**
	 * Publishes data to every subscriber of a topic.
	 * @param topic the topic
	 * @param data the data, a {@link String} written as is or an object serialised to JSON
	 * @return the id given to the event
	 */
	String publish(String topic, Object data);

	/**
	 * Publishes an item to every subscriber of a topic.
	 * @param topic the topic
	 * @param item the item, without an id: the broadcaster assigns it
	 * @return the id given to the event
	 * @throws IllegalArgumentException if the item has an id or its data cannot be encoded
	 */
	String publish(String topic, SseItem<?> item);

	/**
	 * Publishes an item to every subscriber of a topic without waiting for a shared log to take it:
	 * with the Redis backplane, publications a thread makes one after another then share round
	 * trips, where {@link #publish(String, SseItem)} waits for each. Publications of one thread keep
	 * their order. In memory it is {@code publish}, done by the time it returns.
	 * @param topic the topic
	 * @param item the item, without an id: the broadcaster assigns it
	 * @return completed with the id given to the event, or with what {@code publish} would have
	 * thrown (an {@code SseBackplaneException} if the shared log did not take it)
	 */
	default CompletableFuture<String> publishAsync(String topic, SseItem<?> item) {
		try {
			return CompletableFuture.completedFuture(publish(topic, item));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publishes an item that only the connections of the given users receive, live and in replay.
	 * @param topic the topic
	 * @param users the names of the users, as their requests' principals give them; not empty,
	 * and none empty or holding a control character (NUL, CR, LF, ...)
	 * @param item the item, without an id: the broadcaster assigns it
	 * @return the id given to the event
	 * @throws IllegalArgumentException if the users are empty or a name is not one a principal has
	 */
	String publishToUsers(String topic, Collection<String> users, SseItem<?> item);

	/**
	 * Publishes an item that only the connections of one user receive, live and in replay.
	 * @param topic the topic
	 * @param user the name of the user, as the request's principal gives it
	 * @param item the item, without an id: the broadcaster assigns it
	 * @return the id given to the event
	 */
	default String publishToUser(String topic, String user, SseItem<?> item) {
		return publishToUsers(topic, java.util.List.of(user), item);
	}

	/**
	 * A subscription to every event of a topic that the subscribing client may see, for a
	 * controller method to return.
	 * @param topic the topic
	 * @return the subscription
	 */
	SseSubscription subscribe(String topic);

	/**
	 * A subscription to the events of a topic that pass a filter, for a controller method to
	 * return. The filter sees each event's item with its id, in live delivery and in replay; it
	 * runs on the subscriber's writer and must be fast and thread-safe.
	 * @param topic the topic
	 * @param filter which events to deliver
	 * @return the subscription
	 */
	SseSubscription subscribe(String topic, Predicate<? super SseItem<?>> filter);

}
