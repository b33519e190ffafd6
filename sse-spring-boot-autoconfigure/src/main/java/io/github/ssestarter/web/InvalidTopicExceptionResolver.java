package io.github.ssestarter.web;

import io.github.ssestarter.broadcast.InvalidTopicException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.AbstractHandlerExceptionResolver;

/**
 * Answers an {@link InvalidTopicException} that escapes a controller method with
 * {@code 400 Bad Request}: the name usually came from the request.
 */
public final class InvalidTopicExceptionResolver extends AbstractHandlerExceptionResolver {

	/**
	 * Creates the resolver, ordered before Spring MVC's own.
	 */
	public InvalidTopicExceptionResolver() {
		setOrder(Ordered.HIGHEST_PRECEDENCE);
	}

	@Override
	protected @Nullable ModelAndView doResolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (!(ex instanceof InvalidTopicException) || response.isCommitted()) {
			return null;
		}
		try {
			response.sendError(HttpStatus.BAD_REQUEST.value(), ex.getMessage());
		}
		catch (java.io.IOException io) {
			return null;
		}
		return new ModelAndView();
	}

}
