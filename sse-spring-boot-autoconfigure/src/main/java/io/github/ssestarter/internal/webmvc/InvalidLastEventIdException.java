package io.github.ssestarter.internal.webmvc;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A last event id the starter will not take: too long, or with control characters. Answered with
 * {@code 400} and problem details before any stream starts.
 */
final class InvalidLastEventIdException extends ResponseStatusException {

	InvalidLastEventIdException(String reason) {
		super(HttpStatus.BAD_REQUEST, reason);
	}

}
