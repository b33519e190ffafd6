package io.github.ssestarter.internal.webmvc;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A subscription the application's {@link io.github.ssestarter.SseTopicAuthorizer} refused:
 * answered with {@code 403} and problem details before anything of the topic is sent.
 */
final class TopicAccessDeniedException extends ResponseStatusException {

	TopicAccessDeniedException(String topic) {
		super(HttpStatus.FORBIDDEN, "Not allowed to subscribe to topic '" + topic + "'");
	}

}
