package io.github.ssestarter;

/**
 * What happens to a subscriber that falls more than its queue capacity behind its topic.
 */
public enum SseOverflowPolicy {

	/**
	 * Close the connection. The browser reconnects with {@code Last-Event-ID} and is replayed
	 * from the buffer, so nothing is lost while the events are still buffered.
	 */
	DISCONNECT,

	/**
	 * Skip the oldest events the subscriber has not yet received, keeping it connected.
	 */
	DROP_OLDEST

}
