package io.github.ssestarter.internal.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A stream that cannot be served now, answered with a plain status and a {@code Retry-After}
 * header before anything is streamed: {@code 503} when the server cannot take more streams or is
 * stopping, {@code 429} when one user holds too many.
 */
public final class SseRejectedException extends ResponseStatusException {

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param status the status to answer with
	 * @param reason why the stream was refused
	 * @param retryAfter when the client may try again
	 */
	public SseRejectedException(HttpStatus status, String reason, Duration retryAfter) {
		super(status, reason);
		this.retryAfter = retryAfter;
	}

	@Override
	public HttpHeaders getHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, this.retryAfter.toSeconds())));
		return headers;
	}

}
