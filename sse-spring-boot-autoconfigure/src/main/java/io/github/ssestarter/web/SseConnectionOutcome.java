package io.github.ssestarter.web;

/**
 * How an event stream ended.
 */
public enum SseConnectionOutcome {

	/** The source finished, or the application ended the stream. */
	COMPLETED,

	/** The client went away. */
	CLIENT_CLOSED,

	/** The stream reached its configured lifetime. */
	TIMEOUT,

	/** The source failed. */
	ERROR,

	/** The client could not keep up and the overflow policy closed the stream. */
	OVERFLOW;

	/**
	 * The outcome as metrics and {@link io.github.ssestarter.SseListener} name it: lower case,
	 * words joined by {@code -}, such as {@code client-closed}.
	 * @return the label
	 */
	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
