package io.github.ssestarter.internal.webmvc;

import java.io.IOException;

import io.github.ssestarter.InvalidTopicException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.internal.web.InvalidLastEventIdException;
import io.github.ssestarter.internal.web.ProblemDetails;
import io.github.ssestarter.internal.web.SseRejectedException;
import io.github.ssestarter.internal.web.TopicAccessDeniedException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.AbstractHandlerExceptionResolver;

/**
 * Answers what the starter refuses before a stream starts with RFC 9457 problem details
 * ({@code application/problem+json}) saying what was wrong: an invalid topic name or last event id
 * ({@code 400}), a subscription the application does not allow ({@code 403}), and a stream over a
 * connection limit ({@code 429}, {@code 503}, with {@code Retry-After}). Ordered before Spring
 * MVC's own resolvers, so the answer does not depend on the application's error handling. An
 * exception that reaches an event stream after it started is resolved quietly: nothing more can be
 * written into the stream.
 */
public final class SseProblemResolver extends AbstractHandlerExceptionResolver {

	/**
	 * Creates the resolver, ordered before Spring MVC's own.
	 */
	public SseProblemResolver() {
		setOrder(Ordered.HIGHEST_PRECEDENCE);
	}

	@Override
	protected @Nullable ModelAndView doResolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (response.isCommitted()) {
			// An event stream that failed after it started (its client went away, say): nothing can be
			// written into it, and an error page would only fail to render there, noisily.
			if (isEventStream(response)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Event stream ended by " + ex);
				}
				return new ModelAndView();
			}
			return null;
		}
		HttpStatus status;
		String detail;
		if (ex instanceof InvalidTopicException) {
			status = HttpStatus.BAD_REQUEST;
			detail = ex.getMessage();
		}
		else if (ex instanceof InvalidLastEventIdException || ex instanceof SseRejectedException
				|| ex instanceof TopicAccessDeniedException) {
			ResponseStatusException refusal = (ResponseStatusException) ex;
			status = HttpStatus.valueOf(refusal.getStatusCode().value());
			detail = refusal.getReason();
			refusal.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		}
		else {
			return null;
		}
		try {
			writeProblem(request, response, status, detail);
		}
		catch (IOException io) {
			return null;
		}
		return new ModelAndView();
	}

	private static boolean isEventStream(HttpServletResponse response) {
		String contentType = response.getContentType();
		return contentType != null && contentType.startsWith("text/event-stream");
	}

	private static void writeProblem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			@Nullable String detail) throws IOException {
		byte[] bytes = ProblemDetails.json(status, detail, request.getRequestURI());
		response.setStatus(status.value());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentType("application/problem+json");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

}
