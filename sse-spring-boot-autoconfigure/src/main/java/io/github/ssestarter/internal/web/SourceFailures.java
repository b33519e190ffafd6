package io.github.ssestarter.internal.web;

import io.github.ssestarter.SseStreamOutcome;

import org.apache.commons.logging.Log;

/**
 * What happens when a stream's source fails: the stream ends as if complete, so the client sees
 * a clean end and no error page, and the failure is logged once. A failure caused by the stream
 * having already ended (a source interrupted on disconnect) is not a failure.
 */
public final class SourceFailures {

	private SourceFailures() {
	}

	public static void end(SseConnection connection, Throwable failure, Log logger) {
		if (connection.isEnded()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Event stream source ended after its connection: " + failure);
			}
			return;
		}
		logger.warn("Event stream source failed; ending the stream", failure);
		connection.end(SseStreamOutcome.ERROR);
	}

}
