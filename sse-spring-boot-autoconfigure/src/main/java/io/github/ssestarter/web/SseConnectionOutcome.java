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
	OVERFLOW

}
