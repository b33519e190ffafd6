package io.github.ssestarter;

import java.util.Locale;

/**
 * How an event stream ended, as {@link SseListener#connectionEnded} and the {@code sse.connections}
 * meter tell it.
 */
public enum SseStreamOutcome {

	/** The source finished, or the application ended the stream. */
	COMPLETED,

	/** The client went away. */
	CLIENT_CLOSED,

	/** The stream reached its configured lifetime. */
	TIMEOUT,

	/** The source failed. */
	ERROR,

	/** The client could not keep up and the overflow policy closed the stream. */
	OVERFLOW,

	/**
	 * The server refused to open the stream: a connection limit was reached, or it is stopping. Such
	 * a stream was never opened.
	 */
	REJECTED;

	/**
	 * The outcome as metrics and observations name it: lower case, words joined by {@code -}, such
	 * as {@code client-closed}.
	 * @return the label
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
