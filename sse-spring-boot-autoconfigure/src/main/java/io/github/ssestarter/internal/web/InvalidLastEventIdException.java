package io.github.ssestarter.internal.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A last event id the starter will not take: too long, or with control characters. Answered with
 * {@code 400} and problem details before any stream starts.
 */
public final class InvalidLastEventIdException extends ResponseStatusException {

	public InvalidLastEventIdException(String reason) {
		super(HttpStatus.BAD_REQUEST, reason);
	}

}
