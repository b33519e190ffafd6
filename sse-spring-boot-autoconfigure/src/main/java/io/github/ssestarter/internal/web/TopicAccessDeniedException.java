package io.github.ssestarter.internal.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A subscription the application's {@link io.github.ssestarter.SseTopicAuthorizer} refused:
 * answered with {@code 403} and problem details before anything of the topic is sent.
 */
public final class TopicAccessDeniedException extends ResponseStatusException {

	public TopicAccessDeniedException(String topic) {
		super(HttpStatus.FORBIDDEN, "Not allowed to subscribe to topic '" + topic + "'");
	}

}
