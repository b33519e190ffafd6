package io.github.ssestarter.benchmarks.load;

/**
 * Receives what a {@link SseEventParser} finds in a stream.
 */
public interface SseEventListener {

	/**
	 * Called for each dispatched event.
	 * @param event a view of the event, valid only during this call
	 */
	void onEvent(SseEvent event);

	/**
	 * Called for each comment line (a line starting with a colon, e.g. a heartbeat).
	 */
	default void onComment() {
	}

}
